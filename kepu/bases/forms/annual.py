"""Page forms of the annual area, choices narrowed to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.bases import annual_choices as c
from kepu.bases.choices import BaseLevel
from kepu.bases.models import AnnualReport, EvaluationRound, ReportWindow, SpotCheck
from kepu.core import clock
from kepu.core.forms import MultipleFileField, StyledFormMixin, region_field
from kepu.rubrics.choices import RubricStatus
from kepu.rubrics.models import Rubric

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_field(**kwargs):
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, **kwargs)


class ReportForm(StyledFormMixin, forms.ModelForm):
    """The self-report: the statistics form, activities, safety, problems and plans."""

    evidence = MultipleFileField(
        label=_("Evidence of the activities"),
        required=False,
        accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx",
        help_text=_("Photos, PDF or Office files; up to %(n)d files of 10 MB each.")
        % {"n": c.MAX_EVIDENCE},
    )

    class Meta:
        model = AnnualReport
        fields = list(AnnualReport.FORM_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("activities", "safety", "problems", "plans")
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("evidence", None)
        return data


class WindowForm(StyledFormMixin, forms.Form):
    year = _year_field()
    starts_on = forms.DateField(label=_("Reports open on"), widget=DATE)
    working_days = forms.IntegerField(
        label=_("Working days to file"),
        min_value=1,
        max_value=250,
        initial=c.DEFAULT_WORKING_DAYS,
        help_text=_("Counted on the holiday calendar: weekends and public holidays are skipped."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, ReportWindow, "create")
        self.order_fields(["region", "year", "starts_on", "working_days"])


class DrawForm(StyledFormMixin, forms.Form):
    year = _year_field()
    size = forms.IntegerField(label=_("How many bases to draw"), min_value=1, max_value=200)
    seed = forms.CharField(
        label=_("Seed"),
        required=False,
        max_length=40,
        help_text=_("The same seed on the same reports draws the same bases; empty: the time."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, SpotCheck, "create")
        self.order_fields(["region", "year", "size", "seed"])


class SpotCheckForm(StyledFormMixin, forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed")), ("no", _("Failed"))],
        coerce=lambda v: v == "yes",
    )
    adjustment = forms.DecimalField(
        label=_("Score adjustment"),
        max_digits=5,
        decimal_places=2,
        initial=0,
        min_value=-10,
        max_value=10,
        help_text=_("Added to the safety points of the annual evaluation (-10 to +10)."),
    )
    photo = forms.FileField(label=_("Photo"), required=False)


class RoundForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=c.RoundKind.choices)
    year = _year_field()
    level = forms.ChoiceField(label=_("Level of the bases"), choices=BaseLevel.choices)
    batch = forms.CharField(
        label=_("Recognition batch"),
        required=False,
        max_length=60,
        help_text=_("Mid-term evaluation: only the bases of this batch (empty: all)."),
    )
    rubric = forms.ModelChoiceField(label=_("Rubric"), queryset=Rubric.objects.none())
    title = forms.CharField(label=_("Title"), required=False, max_length=120)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, EvaluationRound, "create")
        self.fields["rubric"].queryset = Rubric.objects.filter(status=RubricStatus.IN_USE).order_by(
            "-created_at"
        )
        self.order_fields(["kind", "region", "year", "level", "batch", "rubric", "title"])
        if not self.is_bound:
            self.initial.setdefault("year", clock.today().year - 1)


class ManualScoresForm(StyledFormMixin, forms.Form):
    """One field per manual criterion of the round's rubric, 0 to its weight."""

    def __init__(self, *args, criteria, manual, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion.code] = forms.DecimalField(
                label=criterion.name,
                required=False,
                min_value=0,
                max_value=criterion.weight,
                decimal_places=2,
                help_text=_("0 to %(w)s points. Evidence: %(e)s")
                % {"w": f"{criterion.weight.normalize():f}", "e": criterion.evidence or "—"},
            )
            self.fields[criterion.code].widget.attrs["class"] = "form-control"
            if not self.is_bound and criterion.code in manual:
                self.initial[criterion.code] = manual[criterion.code]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is to be corrected"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrderForm(ReasonForm):
    working_days = forms.IntegerField(
        label=_("Working days to rectify"),
        min_value=1,
        max_value=250,
        initial=c.DEFAULT_RECTIFICATION_DAYS,
    )


class RectificationReportForm(StyledFormMixin, forms.Form):
    report = forms.CharField(
        label=_("What was rectified"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecideForm(StyledFormMixin, forms.Form):
    keep = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("keep", _("Keep the base (back to active)")), ("revoke", _("Revoke the base"))],
        coerce=lambda v: v == "keep",
    )
    checked_on = forms.DateField(label=_("Re-checked on"), widget=DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
