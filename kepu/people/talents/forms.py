"""Page forms of talent evaluation and the talent service, choices narrowed by scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import Role
from kepu.core.forms import StyledFormMixin, region_field
from kepu.core.models import User
from kepu.core.scope import allowed_regions, visible_to
from kepu.people import services as people_services
from kepu.people.models import EvaluationRound, HighLevelTalent, Person
from kepu.people.talents import choices as c
from kepu.rubrics.choices import RubricStatus
from kepu.rubrics.models import Rubric


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = [
            "name",
            "region",
            "kind",
            "year",
            "title_level",
            "title",
            "honour",
            "opens_on",
            "closes_on",
            "eligibility",
            "min_hours",
            "quota",
            "pass_mark",
            "rubric",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, action="create", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, EvaluationRound, action)
        self.fields["rubric"].queryset = visible_to(
            user, Rubric.objects.filter(status=RubricStatus.IN_USE)
        ).order_by("-created_at", "-pk")
        self.fields["rubric"].help_text = _(
            "A rubric in use (e.g. from the preset “Talent evaluation”); required to open."
        )
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code


class PersonByDocumentField(forms.CharField):
    """A registered person named by their document number (looked up by its keyed hash:
    the number itself is never stored or shown)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Applicant's document number"))
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        person = people_services.find_by_document(value)
        if person is None or person.is_erased:
            raise forms.ValidationError(_("No registered person has this document number."))
        return person


class ApplicationForm(StyledFormMixin, forms.Form):
    person = PersonByDocumentField(required=False)
    statement = forms.CharField(
        label=_("Summary of science-popularization work"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The record from the registries (service hours, works, activities, training, "
            "honours, pools) is attached when you submit; add what they do not hold as "
            "self-declared items."
        ),
    )

    def __init__(self, *args, user, own_person=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.own_person = user, own_person
        if editing or own_person is not None and not _files_for_others(user):
            del self.fields["person"]
        else:
            self.fields["person"].help_text = (
                _("Leave blank to apply for yourself.") if own_person is not None else ""
            )
            self.fields["person"].required = own_person is None

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if person is None:
            return self.own_person
        if not visible_to(self.user, Person.objects.filter(pk=person.pk)).exists():
            raise forms.ValidationError(_("No registered person has this document number."))
        return person


def _files_for_others(user) -> bool:
    return user.role_assignments.filter(
        role__in=(Role.REGIONAL_OFFICER, Role.MEMBER_STAFF)
    ).exists()


class ItemForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    attachment = forms.FileField(
        label=_("Attachment"), required=False, help_text=_("PDF, JPG or PNG, at most 10 MB.")
    )


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), max_length=300)


class ScoreForm(StyledFormMixin, forms.Form):
    """The manual criteria of the round's rubric (the computed ones come from the frozen
    record and are shown, not typed)."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [cr for cr in rubric.criteria.all() if not cr.takes_value]
        for cr in self.criteria:
            self.fields[f"c_{cr.code}"] = forms.DecimalField(
                label=f"{cr.name} (0–{cr.weight.normalize():f})",
                min_value=0,
                max_value=cr.weight,
                decimal_places=2,
                help_text=cr.evidence,
            )
        self.order_fields([*(f"c_{cr.code}" for cr in self.criteria), "comment"])

    def values(self) -> dict:
        return {cr.code: self.cleaned_data[f"c_{cr.code}"] for cr in self.criteria}


def contact_choices(user, region=None):
    """Officers who may serve as contacts: regional officers of a region in the user's
    scope (the service checks the talent's region)."""
    regions = allowed_regions(user, HighLevelTalent, "create")
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.REGIONAL_OFFICER,
            role_assignments__region__in=regions,
        )
        .distinct()
        .order_by("username")
    )


class TalentForm(StyledFormMixin, forms.Form):
    person = PersonByDocumentField(label=_("Document number"))
    category = forms.ChoiceField(label=_("Category"), choices=c.TalentCategory.choices)
    contact = forms.ModelChoiceField(
        label=_("Contact officer"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["contact"].queryset = contact_choices(user)

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if (
            person is not None
            and not visible_to(self.user, Person.objects.filter(pk=person.pk)).exists()
        ):
            raise forms.ValidationError(_("No registered person has this document number."))
        return person


class TalentEditForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=c.TalentCategory.choices)
    contact = forms.ModelChoiceField(
        label=_("Contact officer"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contact_choices(user)


class ServiceForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=c.ServiceKind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=500)
