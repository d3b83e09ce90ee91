"""Forms and the filter set of the results area's pages (kept beside its views so the
areas of the app do not edit one module at the same time; the lead may fold them into
the app's forms and filters packages)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.contests.models import Standing
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.forms import StyledFormMixin


class StandingFilter(django_filters.FilterSet):
    """The officer's ranking list of a round: the persons of a region's subtree."""

    region = RegionSubtreeFilter()

    class Meta:
        model = Standing
        fields = ["region"]


class DraftPrizesForm(StyledFormMixin, forms.Form):
    first = forms.IntegerField(label=_("First prizes"), min_value=0, max_value=10000, initial=10)
    second = forms.IntegerField(label=_("Second prizes"), min_value=0, max_value=10000, initial=20)
    third = forms.IntegerField(label=_("Third prizes"), min_value=0, max_value=10000, initial=50)
    excellence = forms.IntegerField(
        label=_("Excellence awards"), min_value=0, max_value=10000, initial=0
    )
    organizers = forms.IntegerField(
        label=_("Outstanding organizer awards (cities)"), min_value=0, max_value=100, initial=3,
        help_text=_("Given to the cities ranked first by participants and attempts."),
    )  # fmt: skip
    publicity_days = forms.IntegerField(
        label=_("Days of public notice"), min_value=1, max_value=30, initial=5
    )
    working_days = forms.BooleanField(label=_("Count working days"), required=False)


class ObjectionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Your real name"), max_length=40)
    phone = forms.CharField(label=_("Your mobile phone"), max_length=20)
    text = forms.CharField(
        label=_("Your objection"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the facts and how they can be checked."),
    )  # fmt: skip
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AnswerForm(StyledFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "yes",
        choices=[("no", _("Dismissed")), ("yes", _("Upheld: the prize will be withdrawn"))],
    )  # fmt: skip
    answer = forms.CharField(
        label=_("Written answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
