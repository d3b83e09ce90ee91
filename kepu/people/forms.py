from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kepu.core import pii
from kepu.core.choices import NoticePurpose, Topic
from kepu.core.forms import (
    OrganizationRefField,
    PrivacyConsentMixin,
    StyledFormMixin,
    region_field,
)
from kepu.core.models import Region
from kepu.core.scope import visible_to
from kepu.core.widgets import RegionCascadeWidget
from kepu.people import choices as c
from kepu.people.models import (
    CreditEntry,
    ExpertPool,
    HonourAward,
    Person,
    Registration,
    Team,
    Training,
)


class PersonForm(StyledFormMixin, forms.ModelForm):
    id_number = forms.CharField(label=_("Document number"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    organization_ref = OrganizationRefField(label=_("Organization"))

    class Meta:
        model = Person
        # The organization is chosen through `organization_ref` (credit code or name).
        fields = [f for f in Person.EDITABLE_FIELDS if f != "organization"]

    def __init__(self, *args, user, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, Person, action)
        self.fields["organization_ref"].user = user
        if self.instance.pk:
            # Identifiers are never put back into a page: blank keeps the stored value.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Stored: %(m)s. Leave blank to keep it.") % {
                "m": self.instance.id_masked or "—"
            }
            self.fields["phone"].help_text = _("Stored: %(m)s. Leave blank to keep it.") % {
                "m": self.instance.phone_masked or "—"
            }
            self.initial["region"] = self.instance.region.code
            if self.instance.organization_id:
                self.initial["organization_ref"] = (
                    self.instance.organization.credit_code or self.instance.organization.name
                )

    def clean_phone(self):
        phone = pii.normalize_phone(self.cleaned_data.get("phone", ""))
        if phone:
            pii.validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        number = data.get("id_number", "")
        if number:
            from kepu.people.services import find_by_document, validate_document

            try:
                data["id_number"] = validate_document(data.get("doc_type"), number)
            except ValidationError as exc:
                self.add_error("id_number", exc)
                return data
            other = find_by_document(data["id_number"])
            if other is not None and other.pk != self.instance.pk:
                self.add_error(
                    "id_number", _("A person with this document number is already registered.")
                )
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["organization"] = self.cleaned_data.get("organization_ref")
        if self.cleaned_data.get("id_number"):
            data["id_number"] = self.cleaned_data["id_number"]
        if self.cleaned_data.get("phone"):
            data["phone"] = self.cleaned_data["phone"]
        return data


class RegistrationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["kind", "start_date"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full information?"), max_length=300, min_length=4
    )


class EraseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (e.g. reference of the person's request)"), max_length=300
    )


class PoolForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ExpertPool
        fields = ["name", "kind", "region", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, ExpertPool, "create")


class PoolMemberForm(StyledFormMixin, forms.Form):
    """Put the person whose page this is into a pool."""

    pool = forms.ModelChoiceField(queryset=ExpertPool.objects.none(), label=_("Expert pool"))
    topics = forms.MultipleChoiceField(
        label=_("Domains"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = visible_to(user, ExpertPool, "change")


class TeamForm(StyledFormMixin, forms.ModelForm):
    organization_ref = OrganizationRefField(label=_("Organization"))
    parent_ref = forms.CharField(
        label=_("Parent team"),
        required=False,
        max_length=120,
        help_text=_("For a sub-team (分队): the exact name of its parent team."),
    )

    class Meta:
        model = Team
        fields = ["name", "region", "specialties"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"] = region_field(user, Team, "create")
        self.fields["organization_ref"].user = user

    def clean_parent_ref(self):
        from kepu.people.team_forms import team_by_name

        return team_by_name(self.user, self.cleaned_data["parent_ref"])


class TeamMemberForm(StyledFormMixin, forms.Form):
    """Put the person whose page this is into a team."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Volunteer team"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = visible_to(user, Team, "change")


class TrainingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["course", "hours", "organizer", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CreditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CreditEntry
        fields = ["credits", "reason", "granted_by", "granted_on"]
        widgets = {"granted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class HonourForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = HonourAward
        fields = ["honour", "title", "year", "awarded_by"]


class SelfRegistrationForm(PrivacyConsentMixin, StyledFormMixin, forms.Form):
    """The public application form (volunteers and experts), no account needed."""

    name = forms.CharField(label=_("Full name"), max_length=64)
    doc_type = forms.ChoiceField(label=_("Document type"), choices=c.DocType.choices)
    id_number = forms.CharField(label=_("Document number"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("Email"), required=False)
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="code",
        label=_("Where you live or work"),
        widget=RegionCascadeWidget(),
    )
    organization_name = forms.CharField(label=_("Work unit"), max_length=200, required=False)
    title = forms.CharField(label=_("Professional title"), max_length=64, required=False)
    specialties = forms.CharField(
        label=_("Specialties"),
        max_length=300,
        required=False,
        help_text=_("e.g. 地震科普、应急救护、编程教育"),
    )
    consent = forms.BooleanField(
        label=_("I have read the notice on personal information and agree to it."),
        error_messages={"required": _("Please read and accept the notice to apply.")},
    )
    notice_purpose = NoticePurpose.REGISTRATION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.roots = list(Region.objects.roots())

    def clean_phone(self):
        phone = pii.normalize_phone(self.cleaned_data["phone"])
        pii.validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        if data.get("id_number") and data.get("doc_type"):
            from kepu.people.services import validate_document

            try:
                data["id_number"] = validate_document(data["doc_type"], data["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        region = data.get("region")
        if region is not None and region.level < 3:
            self.add_error("region", _("Choose down to the county (district) level."))
        return data
