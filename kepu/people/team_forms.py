"""Forms of the volunteer-team pages, second pass (issue 26): applying, certification
steps, honours and designated service groups."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import RegionLevel
from kepu.core.forms import OrganizationRefField, StyledFormMixin, region_field
from kepu.core.scope import allowed_regions, visible_to
from kepu.people.models import ServiceGroup, Team, TeamHonour


def team_by_name(user, name: str, action: str = "view"):
    """The one team of this exact name the user may `action` (None for a blank name)."""
    name = (name or "").strip()
    if not name:
        return None
    found = list(visible_to(user, Team, action).filter(name=name)[:2])
    if len(found) != 1:
        raise ValidationError(_("No single team you can see has this exact name."))
    return found[0]


class TeamApplyForm(StyledFormMixin, forms.ModelForm):
    """A registered person applies for the team they lead."""

    organization_ref = OrganizationRefField(label=_("Organization"))

    class Meta:
        model = Team
        fields = ["name", "specialties"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_ref"].user = user


class TeamReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TeamHonourForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TeamHonour
        fields = ["honour", "title", "year", "awarded_by"]


class ServiceGroupForm(StyledFormMixin, forms.ModelForm):
    lead_team_ref = forms.CharField(
        label=_("Lead team"),
        required=False,
        max_length=120,
        help_text=_("The exact name of a certified team."),
    )
    lead_organization_ref = OrganizationRefField(label=_("Lead unit"))
    counties = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="code",
        label=_("Counties served"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = ServiceGroup
        fields = ["name", "region", "period_start", "period_end", "description"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"] = region_field(user, ServiceGroup, "create")
        self.fields["lead_organization_ref"].user = user
        self.fields["counties"].queryset = (
            allowed_regions(user, ServiceGroup, "create")
            .filter(level=RegionLevel.COUNTY)
            .order_by("code")
        )

    def clean_lead_team_ref(self):
        return team_by_name(self.user, self.cleaned_data["lead_team_ref"])

    def clean(self):
        data = super().clean()
        if not data.get("lead_team_ref") and not data.get("lead_organization_ref"):
            raise ValidationError(_("Name the lead team or the lead unit."))
        return data

    def _post_clean(self):
        # The model's checks run in the service (with the lead team and unit set).
        pass
