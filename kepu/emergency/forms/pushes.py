"""Forms of the push and the acknowledgement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin
from kepu.core.models import Region
from kepu.emergency import choices as c
from kepu.emergency.services.pushes import MAX_GROUPS, MAX_PEOPLE
from kepu.resources.models import Resource


class PushForm(StyledFormMixin, forms.Form):
    """A push of the incident: the resources (the service checks they are published
    entries of the emergency library), the channels and the affected regions."""

    title = forms.CharField(label=_("Title"), max_length=120)
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Resources"),
        queryset=Resource.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=c.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.filter(
            pk__in=incident.affected.values("region_id")
        ).order_by("path")


class AcknowledgeForm(StyledFormMixin, forms.Form):
    """已转发到 N 个群，覆盖约 M 人."""

    groups_forwarded = forms.IntegerField(
        label=_("Groups forwarded to"),
        min_value=0,
        max_value=MAX_GROUPS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    people_reached = forms.IntegerField(
        label=_("People reached (about)"),
        min_value=0,
        max_value=MAX_PEOPLE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
