"""Forms of the assessment pages: a new round, a self-assessment with its evidence, and
an officer's score of the manual criteria. Choices are narrowed by scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope
from kepu.core.forms import MultipleFileField, StyledFormMixin, region_field
from kepu.plans import assessment_choices as c
from kepu.plans.models import AssessmentRound, Plan
from kepu.rubrics.choices import Purpose, RubricStatus
from kepu.rubrics.models import Rubric


class AssessmentRoundForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    region = forms.ModelChoiceField(queryset=None)
    kind = forms.ChoiceField(label=_("Assesses"), choices=c.SubjectKind.choices)
    plan = forms.ModelChoiceField(
        label=_("Plan of the member units"),
        queryset=None,
        required=False,
        help_text=_("For member units: the units named on this plan's tasks are assessed."),
    )
    year = forms.IntegerField(label=_("Year assessed"), min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(
        label=_("Rubric"),
        queryset=None,
        help_text=_("A rubric in use for assessment; its computed criteria must fit the kind."),
    )
    is_public = forms.BooleanField(label=_("Publish the result on the portal"), required=False)
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(
            user, AssessmentRound, "create", label=_("Assessing region")
        )
        self.fields["year"].initial = clock.today().year - 1  # the usual: last year's work
        self.fields["plan"].queryset = scope.visible_to(user, Plan).order_by("-pk")
        self.fields["rubric"].queryset = scope.visible_to(
            user, Rubric.objects.filter(purpose=Purpose.ASSESSMENT, status=RubricStatus.IN_USE)
        ).order_by("-pk")

    def clean(self):
        data = super().clean()
        if data.get("kind") == c.SubjectKind.UNITS and not data.get("plan"):
            self.add_error("plan", _("Choose the plan whose member units are assessed."))
        return data


def _points_field(criterion, *, required, label=None):
    weight = criterion.weight
    return forms.DecimalField(
        label=label or criterion.name,
        required=required,
        min_value=0,
        max_value=weight,
        decimal_places=2,
        help_text=_("0 to %(weight)s points. %(evidence)s")
        % {"weight": f"{weight.normalize():f}", "evidence": criterion.evidence},
    )


class SelfAssessmentForm(StyledFormMixin, forms.Form):
    self_text = forms.CharField(
        label=_("Work done in the year"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Evidence"),
        required=False,
        accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx",
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; up to %(n)d files of 10 MB each.")
        % {"n": c.MAX_EVIDENCE},
    )

    def __init__(self, *args, entry, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.codes = []
        for criterion in criteria:
            name = f"claim_{criterion.code}"
            self.fields[name] = _points_field(criterion, required=False)
            self.codes.append(criterion.code)
        if not self.is_bound:
            self.initial["self_text"] = entry.self_text
            for code, value in entry.self_points.items():
                self.initial[f"claim_{code}"] = value
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def points(self) -> dict:
        return {code: self.cleaned_data.get(f"claim_{code}") for code in self.codes}

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) + self.entry.evidence.count() > c.MAX_EVIDENCE:
            raise forms.ValidationError(_("At most %(n)d evidence files.") % {"n": c.MAX_EVIDENCE})
        return files


class ScoreForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, entry, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = []
        fields = {}
        for criterion in criteria:
            fields[f"points_{criterion.code}"] = _points_field(criterion, required=True)
            self.codes.append(criterion.code)
        fields["comment"] = self.fields.pop("comment")
        self.fields.update(fields)
        if not self.is_bound:
            self.initial["comment"] = entry.comment
            for code in self.codes:
                if code in entry.values:
                    self.initial[f"points_{code}"] = entry.values[code]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def points(self) -> dict:
        return {code: self.cleaned_data.get(f"points_{code}") for code in self.codes}
