"""FilterSets of the results area (one per list, for its page and any endpoint)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter
from kepu.core.models.publicity import ObjectionStatus
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry, Objection


class ObjectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Objections"), method="filter_state", empty_label=_("All objections"),
        choices=[("pending", _("Awaiting an answer")), ("answered", _("Answered"))],
    )  # fmt: skip
    call = IdFilter(field_name="entry__call_id", label=_("Call"))

    class Meta:
        model = Objection
        fields = ["state", "call"]

    def filter_state(self, qs, name, value):
        if value == "pending":
            return qs.filter(status=ObjectionStatus.PENDING)
        return qs.exclude(status=ObjectionStatus.PENDING)


class PublicResultFilter(django_filters.FilterSet):
    """The awardees of the decided calls, by year and call (the public results page)."""

    year = django_filters.NumberFilter(field_name="call__year", label=_("Year"), min_value=2000,
                                       max_value=2100)  # fmt: skip
    call = IdFilter(field_name="call_id", label=_("Call"))

    class Meta:
        model = Entry
        fields = ["year", "call"]


class PublicCallFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Calls"), method="filter_state", empty_label=_("All calls"),
        choices=[("current", _("Under way")), ("decided", _("Results published"))],
    )  # fmt: skip

    class Meta:
        model = Call
        fields = ["state"]

    def filter_state(self, qs, name, value):
        if value == "decided":
            return qs.filter(status=c.CallStatus.DECIDED)
        return qs.exclude(status=c.CallStatus.DECIDED)
