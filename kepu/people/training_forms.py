"""Forms of training as a process: courses, bases, sessions, enrolment by an officer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core import crypto, pii
from kepu.core.forms import OrganizationRefField, StyledFormMixin, region_field
from kepu.core.scope import visible_to
from kepu.people.models import Course, Person, TrainingBase, TrainingSession

DATE = {"type": "date"}


class CourseForm(StyledFormMixin, forms.ModelForm):
    organization_ref = OrganizationRefField(label=pgettext_lazy("training", "Organizing unit"))

    class Meta:
        model = Course
        fields = ["title", "topic", "audience", "hours", "credit", "region", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "create"
        self.fields["region"] = region_field(user, Course, action, label=_("Organizing region"))
        self.fields["organization_ref"].user = user
        if self.instance.pk and self.instance.organization_id and not self.is_bound:
            self.initial["organization_ref"] = self.instance.organization.name

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["organization"] = self.cleaned_data["organization_ref"]
        return data


class TrainingBaseForm(StyledFormMixin, forms.ModelForm):
    organization_ref = OrganizationRefField(label=_("Unit"))

    class Meta:
        model = TrainingBase
        fields = ["name", "region", "address", "capacity"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, TrainingBase, "create")
        self.fields["organization_ref"].user = user

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["organization"] = self.cleaned_data["organization_ref"]
        return data


class SessionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = list(TrainingSession.EDITABLE_FIELDS)
        widgets = {
            name: forms.DateInput(attrs=DATE, format="%Y-%m-%d")
            for name in ("starts_on", "ends_on", "enrol_from", "enrol_until")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = visible_to(user, TrainingBase).filter(status="recognized")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The session cannot end before it starts."))
        opens, closes = data.get("enrol_from"), data.get("enrol_until")
        if opens and closes and closes < opens:
            self.add_error("enrol_until", _("Enrolment cannot close before it opens."))
        return data


class EnrolForm(StyledFormMixin, forms.Form):
    """An officer enrols a registered person: by document number or registry number."""

    person = forms.CharField(
        label=_("Person"),
        max_length=30,
        help_text=_("The person's document number, or their number in the registry."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self):
        value = self.cleaned_data["person"].strip()
        people = visible_to(self.user, Person.objects.live())
        if value.isdigit() and len(value) <= 12:  # a registry number
            found = people.filter(pk=int(value)).first()
        else:  # a document number, found by its keyed hash
            found = people.filter(id_hash=crypto.blind_index(pii.normalize_id(value))).first()
        if found is None:
            raise ValidationError(_("No registered person in your scope has this number."))
        return found
