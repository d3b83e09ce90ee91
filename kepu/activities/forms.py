from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.activities import choices as c
from kepu.activities.models import Activity, ActivityReport, Campaign, MobileFacility
from kepu.activities.permissions import own_units, placement_regions
from kepu.core import pii
from kepu.core.choices import KeyGroup, NoticePurpose, Topic
from kepu.core.forms import (
    MultipleFileField,
    OrganizationRefField,
    PrivacyConsentMixin,
    StyledFormMixin,
    region_field,
)
from kepu.core.scope import scope_roots
from kepu.core.widgets import RegionCascadeWidget

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def placement_region_field(user, action, *, required=True):
    """Where the user may hold activities: the regions of an officer's scope, or for
    member-unit staff the region of their unit and everything below it."""
    queryset = placement_regions(user, action)
    roots = [r for r in scope_roots(user) if queryset.filter(pk=r.pk).exists()]
    roots += [unit.region for unit in own_units(user, action)]
    return forms.ModelChoiceField(
        queryset=queryset,
        to_field_name="code",
        required=required,
        label=_("Region where it is held"),
        widget=RegionCascadeWidget(roots=list({r.pk: r for r in roots}.values())),
        error_messages={
            "invalid_choice": _("Choose a region within your scope."),
            "required": _("Choose a region."),
        },
    )


class ActivityForm(StyledFormMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    organization_ref = OrganizationRefField(label=_("Organizer"), required=True)
    groups = forms.MultipleChoiceField(
        label=_("Key groups"),
        choices=KeyGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one key group.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Activity
        fields = [f for f in Activity.EDITABLE_FIELDS if f not in ("organization", "region")]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 5}),
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, *args, user, action, facility=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.fields["region"] = placement_region_field(user, action)
        self.fields["organization_ref"].user = user
        self.fields["organization_ref"].help_text = _(
            "Its unified social credit code or its exact name."
        )
        year = timezone.localdate().year
        self.fields["campaign"].queryset = Campaign.objects.filter(year__gte=year - 1).order_by(
            "start_date"
        )
        self.fields["campaign"].required = False
        self.fields["topics"].required = False
        self.order_fields(
            ["title", "organization_ref", "campaign", "kind", "groups", "topics", "region"]
        )
        if facility is not None:
            del self.fields["kind"]
        units = own_units(user, action)
        if self.instance.pk:
            org = self.instance.organization
            self.initial["organization_ref"] = org.credit_code or org.name
            self.initial["region"] = self.instance.region.code
            self.initial["groups"] = self.instance.codes(c.TagKind.GROUP)
            self.initial["topics"] = self.instance.codes(c.TagKind.TOPIC)
        elif len(units) == 1:
            self.initial["organization_ref"] = units[0].credit_code or units[0].name

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The activity cannot end before it starts."))
        if data.get("signup_required") and not data.get("capacity"):
            self.add_error("capacity", _("Give the number of places when sign-up is required."))
        return data

    def service_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }
        data["organization"] = self.cleaned_data["organization_ref"]
        data["region"] = self.cleaned_data["region"]
        return data


class CapacityForm(StyledFormMixin, forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1_000_000)


class ReportForm(StyledFormMixin, forms.ModelForm):
    photos = MultipleFileField(
        accept="image/jpeg,image/png",
        label=_("Photos"),
        required=False,
        help_text=_("Up to 6 JPEG or PNG photos, 5 MB each."),
    )

    class Meta:
        model = ActivityReport
        fields = ["onsite_attendance", "online_views", "volunteers_served", "summary", "links"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("online_views", "volunteers_served"):
            self.fields[name].required = False

    def clean_online_views(self):
        return self.cleaned_data.get("online_views") or 0

    def clean_volunteers_served(self):
        return self.cleaned_data.get("volunteers_served") or 0

    def clean_photos(self):
        from kepu.activities.services import MAX_PHOTOS, validate_photo

        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        for photo in photos:
            validate_photo(photo)
        return photos


class SignUpForm(PrivacyConsentMixin, StyledFormMixin, forms.Form):
    """The public sign-up: as little personal data as the organizer needs."""

    name = forms.CharField(label=_("Full name"), max_length=64)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # No default: a preselected group would be counted for everyone who left it alone.
    key_group = forms.ChoiceField(
        label=_("You are"),
        choices=[("", ""), *KeyGroup.choices],
        error_messages={"required": _("Choose the group you belong to.")},
    )
    consent = forms.BooleanField(
        label=_("I have read the notice on personal information and agree to it."),
        error_messages={"required": _("Please read and accept the notice to sign up.")},
    )
    notice_purpose = NoticePurpose.SIGNUP

    def clean_phone(self):
        phone = pii.normalize_phone(self.cleaned_data["phone"])
        pii.validate_mobile(phone)
        return phone


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=20)


class CampaignForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = Campaign.EDITABLE_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["region"] = region_field(
                user, Campaign, "create", label=_("Organizing region")
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The campaign cannot end before it starts."))
        return data


class FacilityForm(StyledFormMixin, forms.ModelForm):
    organization_ref = OrganizationRefField(label=_("Operating organization"), required=True)

    class Meta:
        model = MobileFacility
        fields = MobileFacility.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_ref"].user = user
        if self.instance.pk:
            org = self.instance.organization
            self.initial["organization_ref"] = org.credit_code or org.name
        else:
            self.fields["region"] = region_field(
                user, MobileFacility, "create", label=_("Home region")
            )
        self.order_fields(["name", "kind", "organization_ref", "region"])
