"""The review queue's one FilterSet, used by its page and its API endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.filters import IdFilter
from kepu.selections.models import Review

STATE_CHOICES = [
    ("open", _("To score")),
    ("submitted", pgettext_lazy("selection review", "Submitted")),
]


class ReviewFilter(django_filters.FilterSet):
    call = IdFilter(field_name="entry__call_id", label=_("Call"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES,
        method="filter_state",
        label=pgettext_lazy("selection review", "State"),
    )

    class Meta:
        model = Review
        fields = ["call", "state"]

    def filter_state(self, qs, name, value):
        return qs.filter(submitted_at__isnull=(value == "open"))
