"""Page forms of the mid-term area, choices narrowed to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.bases import choices as c
from kepu.bases.models import DemonstrationArea, MidtermEvaluation
from kepu.core import clock
from kepu.core.forms import OrganizationRefField, StyledFormMixin, region_field
from kepu.core.scope import visible_to
from kepu.rubrics.choices import Purpose, RubricStatus
from kepu.rubrics.models import Rubric


class AreaForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=c.AreaKind.choices)
    cycle_start = forms.IntegerField(label=_("Cycle starts"), min_value=2000, max_value=2100)
    cycle_end = forms.IntegerField(
        label=_("Cycle ends"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Leave empty for a five-year cycle."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrganizationRefField(
            user=user, required=True, label=_("Organizing unit")
        )
        self.fields["organization"].widget.attrs["class"] = "form-control"
        self.fields["region"] = region_field(user, DemonstrationArea, "create")


class EvaluationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    rubric = forms.ModelChoiceField(label=_("Rubric"), queryset=Rubric.objects.none())
    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)
    pass_mark = forms.DecimalField(
        label=_("Pass mark"), initial=60, min_value=0, max_value=100, decimal_places=2
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"year": clock.today().year})
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = visible_to(
            user,
            Rubric.objects.filter(purpose=Purpose.MIDTERM, status=RubricStatus.IN_USE),
        ).order_by("-created_at", "-pk")
        self.fields["region"] = region_field(user, MidtermEvaluation, "create")


def _value_field(criterion, *, required=True, initial=None):
    return forms.DecimalField(
        label=criterion.name,
        required=required,
        initial=initial,
        max_digits=14,
        min_value=0,
        help_text=_("Value (%(unit)s)") % {"unit": criterion.unit or "-"},
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )


class SelfAssessmentForm(StyledFormMixin, forms.Form):
    """The values the area reports, one per banded criterion of the round's rubric."""

    def __init__(self, *args, criteria, values, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            if criterion.takes_value:
                self.fields[criterion.code] = _value_field(
                    criterion, initial=values.get(criterion.code)
                )


class ScoresheetForm(StyledFormMixin, forms.Form):
    """An evaluator's points for each manual criterion; the values of the others start from
    the self-assessment (correct them where the evidence says otherwise)."""

    def __init__(self, *args, criteria, values, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        given = sheet.values if sheet else {}
        self.point_codes, self.value_codes = [], []
        for criterion in criteria:
            initial = given.get(criterion.code, values.get(criterion.code))
            if criterion.takes_value:
                self.fields[criterion.code] = _value_field(criterion, initial=initial)
                self.value_codes.append(criterion.code)
            else:
                weight = f"{criterion.weight.normalize():f}"
                self.fields[criterion.code] = forms.DecimalField(
                    label=criterion.name,
                    initial=initial,
                    min_value=0,
                    max_value=criterion.weight,
                    help_text=_("Points, 0 to %(weight)s") % {"weight": weight},
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
                )
                self.point_codes.append(criterion.code)
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=2000,
            initial=sheet.comment if sheet else "",
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "points": {code: data[code] for code in self.point_codes},
            "values": {code: data[code] for code in self.value_codes},
            "comment": data["comment"],
        }
