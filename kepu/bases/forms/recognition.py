"""Forms of the recognition area. They collect input; the services decide (eligibility,
ranges, states), and their refusals land on these forms' fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.bases import choices as bc
from kepu.bases.models import RecognitionRound
from kepu.bases.models.recognition import default_eligibility
from kepu.bases.services.recognition import MATERIAL_TYPES
from kepu.core.forms import MultipleFileField, OrganizationRefField, StyledFormMixin
from kepu.core.scope import visible_to
from kepu.rubrics import choices as rc
from kepu.rubrics.models import Rubric

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _area_field(category) -> str:
    return f"min_area_{category}"


class RoundForm(StyledFormMixin, forms.ModelForm):
    legal_person = forms.BooleanField(
        label=_("Require an independent legal person"), required=False
    )
    min_years_open = forms.IntegerField(label=_("Minimum years open"), min_value=0, max_value=50)
    min_open_days = forms.IntegerField(
        label=_("Minimum open days a year"), min_value=0, max_value=366
    )

    class Meta:
        model = RecognitionRound
        fields = [
            "title", "year", "batch", "number_prefix", "rubric", "pool", "opens_on", "closes_on",
            "recommend_by", "panel_size", "publicity_days", "publicity_working_days",
        ]  # fmt: skip
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "recommend_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.people.models import ExpertPool

        self.fields["rubric"].queryset = visible_to(user, Rubric).filter(
            purpose=rc.Purpose.BASE_RECOGNITION, status=rc.RubricStatus.IN_USE
        )
        self.fields["pool"].queryset = visible_to(user, ExpertPool).filter(is_active=True)
        rules = (self.instance.eligibility if self.instance.pk else None) or default_eligibility()
        areas = rules.get("min_area", {})
        for value, label in bc.BaseCategory.choices:
            self.fields[_area_field(value)] = forms.IntegerField(
                label=_("Minimum area (m²): %(category)s") % {"category": label},
                min_value=0, max_value=1_000_000, required=False,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )  # fmt: skip
            self.initial.setdefault(_area_field(value), areas.get(value, 0))
        for name in ("legal_person", "min_years_open", "min_open_days"):
            self.initial.setdefault(name, rules.get(name))

    def area_fields(self):
        return [self[_area_field(v)] for v in bc.BaseCategory.values]

    def round_fields(self):
        """The call's own fields (the eligibility rules are laid out apart)."""
        return [self[name] for name in self.Meta.fields]

    def service_fields(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["eligibility"] = {
            "legal_person": bool(self.cleaned_data["legal_person"]),
            "min_years_open": self.cleaned_data["min_years_open"],
            "min_open_days": self.cleaned_data["min_open_days"],
            "min_area": {
                v: self.cleaned_data.get(_area_field(v)) or 0 for v in bc.BaseCategory.values
            },
        }
        return data


class ApplicationForm(StyledFormMixin, forms.Form):
    organization = OrganizationRefField(label=_("Applicant unit"), required=True)
    name = forms.CharField(label=_("Base name"), max_length=120, required=False)
    category = forms.ChoiceField(
        label=pgettext_lazy("base", "Category"), choices=bc.BaseCategory.choices
    )
    legal_person = forms.BooleanField(label=_("Independent legal person"), required=False)
    years_open = forms.IntegerField(label=_("Years open to the public"), min_value=0, max_value=200)
    open_days = forms.IntegerField(label=_("Open days last year"), min_value=0, max_value=366)
    area_m2 = forms.IntegerField(label=_("Exhibition area (m²)"), min_value=0, max_value=10**7)
    staff = forms.IntegerField(label=_("Full-time staff"), min_value=0, max_value=10000)
    docents = forms.IntegerField(label=_("Docents"), min_value=0, max_value=10000)
    visitors = forms.IntegerField(label=_("Visitors last year"), min_value=0, max_value=10**8)
    statement = forms.CharField(
        label=_("Statement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the base offers, its activities and results."),
    )  # fmt: skip
    materials = MultipleFileField(
        label=_("Materials"), required=False, accept=",".join(f".{t}" for t in MATERIAL_TYPES),
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; up to 8 files of 10 MB each."),
    )  # fmt: skip

    def __init__(self, *args, user, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].user = user
        if units and not self.is_bound:
            self.initial["organization"] = units[0].name

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["materials"] = data.get("materials") or []
        return data


class RecommendForm(StyledFormMixin, forms.Form):
    recommended = forms.ChoiceField(
        label=_("Recommend this application"), choices=YES_NO, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("Opinion of the recommending body"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    rank = forms.IntegerField(
        label=_("Rank among this body's recommendations"), min_value=1, max_value=999,
        required=False,
    )  # fmt: skip

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["recommended"] = data["recommended"] == "yes"
        return data


class CheckForm(StyledFormMixin, forms.Form):
    check_note = forms.CharField(
        label=_("Reasons"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when an item fails."),
    )  # fmt: skip

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [code for code, _label in items]
        for code, label in items:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label, choices=[("pass", _("Meets it")), ("fail", _("Does not meet it"))],
                widget=forms.RadioSelect,
            )  # fmt: skip

    def item_fields(self):
        return [self[f"item_{c}"] for c in self.codes]

    def service_fields(self) -> dict:
        items = {c: self.cleaned_data[f"item_{c}"] == "pass" for c in self.codes}
        return {"items": items, "note": self.cleaned_data["check_note"]}


class ScoreForm(StyledFormMixin, forms.Form):
    """One field per criterion; the points are checked by the rubric engine."""

    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for cr in self.criteria:
            self.fields[cr.code] = forms.DecimalField(
                label=cr.name, max_digits=8, decimal_places=2,
                help_text=cr.evidence,
                widget=forms.NumberInput(
                    # added after the mixin styled the form: its class given here
                    attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}
                ),
            )  # fmt: skip

    def rows(self):
        return [(cr, self[cr.code]) for cr in self.criteria]

    def values(self) -> dict:
        return {cr.code: self.cleaned_data[cr.code] for cr in self.criteria}


class ConflictForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("The conflict"), max_length=150)


class CutoffForm(StyledFormMixin, forms.Form):
    cutoff = forms.DecimalField(
        label=_("Cut-off score"), max_digits=5, decimal_places=2,
        help_text=_("Applications scoring at least this go to the public notice."),
    )  # fmt: skip


class NamingForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(
        label=_("Date of the naming decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The bases are valid for five years from it."),
    )


class ObjectionForm(StyledFormMixin, forms.Form):
    application = forms.ModelChoiceField(label=_("Candidate"), queryset=None)
    name = forms.CharField(label=_("Your real name"), max_length=40)
    phone = forms.CharField(label=_("Your mobile phone"), max_length=20)
    text = forms.CharField(
        label=_("Your objection"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the facts and how they can be checked."),
    )  # fmt: skip
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = candidates


class AnswerForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismissed", _("Dismiss the objection")), ("upheld", _("Uphold the objection"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Written answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
