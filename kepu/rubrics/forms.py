"""Page forms of rubrics: a new rubric (empty or from a preset), a criterion with its bands
entered as rows, and the "try it" form that scores made-up values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin, region_field
from kepu.rubrics import choices as c
from kepu.rubrics import engine
from kepu.rubrics.models import Criterion, Rubric

BAND_ROWS = 6
PRESET_CHOICES = [
    ("", _("No preset: start empty")),
    ("base_annual", _("Annual evaluation of bases (100 points)")),
    ("base_recognition", _("Recognition of bases: the expert panel (100 points)")),
    ("midterm", _("Mid-term evaluation of demonstration areas (100 points)")),
]


class RubricForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=c.Purpose.choices)
    preset = forms.ChoiceField(
        label=_("Start from"),
        choices=PRESET_CHOICES,
        required=False,
        help_text=_("A preset fills in its criteria; you can change them while it is a draft."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, Rubric, "create", label=_("Owner region"))
        # StyledFormMixin replaced the preset's empty choice: keep "start empty" first.
        self.fields["preset"].choices = PRESET_CHOICES


def _source_choices():
    return [("", _("— none —"))] + [(s.code, s.label) for s in engine.sources()]


class CriterionForm(StyledFormMixin, forms.Form):
    """A criterion; its bands are up to BAND_ROWS rows of lower bound, upper bound and
    share (empty rows are left out). The service checks the whole (contiguous bands, a
    source for a computed criterion)."""

    code = forms.SlugField(label=_("Code"), max_length=30, help_text=_("Letters, digits, _"))
    group = forms.CharField(label=_("Group"), max_length=60, required=False)
    name = forms.CharField(label=_("Criterion"), max_length=120)
    weight = forms.DecimalField(
        label=_("Weight (points)"), max_digits=5, decimal_places=2, min_value=0.01, max_value=100
    )
    method = forms.ChoiceField(label=_("Scoring"), choices=c.Method.choices)
    source = forms.ChoiceField(label=_("Registry source"), required=False, choices=())
    unit = forms.CharField(label=_("Unit of the value"), max_length=16, required=False)
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)

    def __init__(self, *args, criterion: Criterion | None = None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if criterion is not None:
            initial.update({f: getattr(criterion, f) for f in ("code", "group", "name")})
            initial.update(
                weight=criterion.weight,
                method=criterion.method,
                source=criterion.source,
                unit=criterion.unit,
                evidence=criterion.evidence,
            )
            for i, band in enumerate((criterion.bands or [])[:BAND_ROWS]):
                for key in ("min", "max", "share"):
                    initial[f"band{i}_{key}"] = band.get(key)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["source"].choices = _source_choices()
        for i in range(BAND_ROWS):
            for key, label in (
                ("min", _("Band %(n)d: from")),
                ("max", _("Band %(n)d: below")),
                ("share", _("Band %(n)d: share of the weight (%%)")),
            ):
                self.fields[f"band{i}_{key}"] = forms.DecimalField(
                    label=label % {"n": i + 1},
                    required=False,
                    max_digits=14,
                    decimal_places=4,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
                )

    def band_rows(self):
        """The band fields by row, for the template."""
        return [
            [self[f"band{i}_{key}"] for key in ("min", "max", "share")] for i in range(BAND_ROWS)
        ]

    def main_fields(self):
        return [self[name] for name in ("code", "group", "name", "weight", "method", "source")] + [
            self["unit"],
            self["evidence"],
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        bands = []
        for i in range(BAND_ROWS):
            row = [data.get(f"band{i}_{key}") for key in ("min", "max", "share")]
            if all(v is None for v in row):
                continue
            low, high, share = (_plain(v) for v in row)
            bands.append({"min": low, "max": high, "share": share})
        return dict(
            code=data["code"],
            group=data["group"],
            name=data["name"],
            weight=data["weight"],
            method=data["method"],
            source=data["source"] if data["method"] == c.Method.AUTO else "",
            unit=data["unit"],
            evidence=data["evidence"],
            bands=bands if data["method"] != c.Method.MANUAL else [],
        )


def _plain(value):
    """A Decimal as the JSON number it stands for (150, not 150.0000), None as None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class TryForm(StyledFormMixin, forms.Form):
    """One field per criterion: the points of a manual one, the value of the others."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            if criterion.takes_value:
                help_text = _("Value (%(unit)s)") % {"unit": criterion.unit or "-"}
            else:
                help_text = _("Points, 0 to %(weight)s") % {
                    "weight": f"{criterion.weight.normalize():f}"
                }
            self.fields[criterion.code] = forms.DecimalField(
                label=criterion.name,
                required=False,
                help_text=help_text,
                max_digits=14,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
