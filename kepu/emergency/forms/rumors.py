"""Forms of the rumour pages: report a lead (officers, information officers, the public),
triage, the rebuttal editor, the choice of reviewers, the expert's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin, region_field
from kepu.core.models import Region
from kepu.core.scope import visible_to
from kepu.core.widgets import RegionCascadeWidget
from kepu.emergency import choices as c
from kepu.emergency.models import Incident, Rebuttal, Rumor
from kepu.people.models import Person


class _ClaimFields(StyledFormMixin, forms.Form):
    claim = forms.CharField(
        label=_("What is being said"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Copy the message or describe it in your own words."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", ""), *c.TOPIC_CHOICES])
    seen_on = forms.CharField(
        label=_("Where you saw it"),
        max_length=100,
        required=False,
        help_text=_("For example: a WeChat group, a short-video platform, a neighbour."),
    )
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")


class RumorForm(_ClaimFields):
    """A lead reported in the back office: an officer chooses the region in their scope
    (and, optionally, an open incident they see); an information officer reports from
    their own region (no region field)."""

    incident = forms.ModelChoiceField(
        label=_("Incident"),
        queryset=Incident.objects.none(),
        required=False,
        empty_label=_("Normal times (no incident)"),
    )

    def __init__(self, *args, user, officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fields["incident"].queryset = (
            visible_to(user, Incident.objects.open(), public=False).order_by("-activated_at")
            if officer
            else Incident.objects.open().order_by("-activated_at")
        )
        if officer:
            self.fields["region"] = region_field(
                user, Rumor, "create", label=_("Where it circulates")
            )


class PublicRumorForm(_ClaimFields):
    """The public report form: no personal identifiers, a region to say where it circulates."""

    region = forms.ModelChoiceField(
        label=_("Where it circulates"),
        queryset=Region.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose a region."), "required": _("Choose a region.")},
    )

    def __init__(self, *args, roots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = RegionCascadeWidget(roots=list(roots))


class TriageForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=c.TriageDecision.choices)
    duplicate_of = forms.ModelChoiceField(
        label=_("Duplicate of"), queryset=Rumor.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, rumor, user, **kwargs):
        super().__init__(*args, **kwargs)
        others = Rumor.objects.exclude(pk=rumor.pk).exclude(status=c.RumorStatus.DUPLICATE)
        others = (
            others.filter(incident_id=rumor.incident_id)
            if rumor.incident_id
            else others.filter(incident__isnull=True)
        )
        self.fields["duplicate_of"].queryset = visible_to(user, others, public=False).order_by(
            "-reported_at", "-pk"
        )


class RebuttalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Rebuttal
        fields = ["title", "body", "approvals_required", "review_hours"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class SubmitRebuttalForm(StyledFormMixin, forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewing experts"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = eligible.order_by("name", "pk")


class DecideForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes."),
    )
