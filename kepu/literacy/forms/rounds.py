"""Forms of the rounds area. They collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin
from kepu.literacy import choices as c
from kepu.literacy.models import Contact, Instrument, SurveyRound

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ROUND_FIELDS = [
    "name", "kind", "instrument", "year", "opens_at", "closes_at", "target_moe", "confidence",
    "expected_rate", "design_effect", "response_rate", "allocation", "min_per_stratum",
    "form_count", "consent_text",
]  # fmt: skip


class RoundForm(StyledFormMixin, forms.ModelForm):
    min_seconds_per_item = forms.IntegerField(
        label=_("Speeder: fewer seconds per item than"), min_value=0, max_value=60, initial=2
    )
    straightline_share = forms.DecimalField(
        label=_("Straight-lining: same option on at least this share"), min_value=0.5,
        max_value=1, decimal_places=2, initial=0.9,
    )  # fmt: skip
    exclude_flagged = forms.BooleanField(
        label=_("Exclude speeders and straight-liners (otherwise flag them)"), required=False
    )

    class Meta:
        model = SurveyRound
        fields = ROUND_FIELDS
        widgets = {
            "opens_at": DATETIME, "closes_at": DATETIME,
            "consent_text": forms.Textarea(attrs={"rows": 4}),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.order_by("-year", "code")
        if self.instance.pk:
            for name in ("kind", "instrument"):
                self.fields[name].disabled = True
            rules = self.instance.quality or {}
            self.initial.setdefault("min_seconds_per_item", rules.get("min_seconds_per_item", 2))
            self.initial.setdefault("straightline_share", rules.get("straightline_share", 0.9))
            self.initial.setdefault("exclude_flagged", bool(rules.get("exclude")))

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in ROUND_FIELDS}
        data["quality"] = {
            "min_seconds_per_item": self.cleaned_data["min_seconds_per_item"],
            "straightline_share": float(self.cleaned_data["straightline_share"]),
            "exclude": bool(self.cleaned_data.get("exclude_flagged")),
        }
        if self.instance.pk:
            data.pop("kind", None)
            data.pop("instrument", None)
        return data


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class InterviewerForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class ContactForm(StyledFormMixin, forms.Form):
    point = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Contact.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


BLANK = [("", _("— choose —"))]


class RespondentForm(StyledFormMixin, forms.Form):
    """The respondent's demographics (no name, phone or ID number) and, on the round's
    link, the county and urban or rural."""

    age = forms.IntegerField(label=_("Your age (whole years)"), min_value=0, max_value=120)
    # No answer is chosen in advance: a skipped question must not pass as "male, urban".
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + c.Sex.choices)
    education = forms.ChoiceField(
        label=_("Highest education completed"), choices=BLANK + c.Education.choices
    )
    area = forms.ChoiceField(label=_("Where you live"), choices=BLANK + c.AreaType.choices)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=BLANK + c.Occupation.choices)
    key_group = forms.ChoiceField(
        label=_("Do you belong to one of these groups?"), choices=c.KeyGroup.choices,
        required=False,
    )  # fmt: skip
    county = forms.ChoiceField(label=_("County or district where you live"), required=False)
    consent = forms.BooleanField(label=_("I have read the notice and agree to take part"))

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is None:
            del self.fields["county"]
        else:
            self.fields["county"].choices = [("", _("— choose —")), *counties]
            self.fields["county"].required = True

    def demographics(self) -> dict:
        d = self.cleaned_data
        age = d["age"]
        band = next((b for b in c.AgeBand.values if int(b[:2]) <= age <= int(b[3:])), c.AgeBand.A60)
        return {
            "age": age, "sex": d["sex"], "age_band": band, "education": d["education"],
            "area": d["area"], "occupation": d["occupation"], "key_group": d.get("key_group", ""),
        }  # fmt: skip


class MarginForm(StyledFormMixin, forms.Form):
    """A region's census margins by hand: one whole number per category of each variable
    (sex, age band, urban or rural, education), and where they come from. Whether each
    variable adds up to the same total is the service's rule (`set_margins`); the form
    only shows the totals."""

    source = forms.CharField(
        label=_("Source"), max_length=120, required=False,
        help_text=_("For example: 7th census, county tables. Left empty: entered by an officer."),
    )  # fmt: skip

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for var, kinds in categories.items():
            for value, label in kinds.choices:
                if value:
                    self.fields[self.name_of(var, value)] = forms.IntegerField(
                        label=label, min_value=0, max_value=200_000_000,
                        widget=forms.NumberInput(
                            attrs={"class": "form-control text-end", "step": 1, "min": 0,
                                   "data-margin": var}
                        ),
                    )  # fmt: skip

    @staticmethod
    def name_of(var, category) -> str:
        return f"{var}__{category}"

    def rows(self) -> list[dict]:
        """The rows `set_margins` takes, from the cleaned data."""
        return [
            {"variable": var, "category": value,
             "population": self.cleaned_data[self.name_of(var, value)]}
            for var, kinds in self.categories.items()
            for value, _label in kinds.choices
            if value
        ]  # fmt: skip

    def sections(self) -> list[dict]:
        """Per variable: its label, its fields and the total of the numbers shown (the
        posted ones on a page shown again), and whether it matches the largest total."""
        sections = []
        for var, kinds in self.categories.items():
            fields = [self[self.name_of(var, v)] for v, _label in kinds.choices if v]
            numbers = [_number(f.value()) for f in fields]
            total = None if None in numbers else sum(numbers)
            sections.append(
                {"var": var, "label": c.MarginVar(var).label, "fields": fields, "total": total}
            )
        totals = [s["total"] for s in sections if s["total"] is not None]
        reference = max(totals) if totals else None
        for s in sections:
            s["adds_up"] = s["total"] is not None and s["total"] == reference
        return sections


def _number(value):
    try:
        return int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None
