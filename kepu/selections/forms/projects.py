"""Page forms of funded projects (the services check the same rules)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import OrganizationRefField, StyledFormMixin
from kepu.core.scope import visible_to
from kepu.selections import choices as c
from kepu.selections.models import Project

DATE = {"type": "date"}
MONEY = {"inputmode": "decimal"}


def _date(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs
    )


def _money(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(MONEY),
        **kwargs,
    )


class ProjectForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    number = forms.CharField(
        label=_("Project number"),
        max_length=40,
        required=False,
        help_text=_("Left blank: <year>-KP-NNN, the next free number."),
    )
    organization = OrganizationRefField(label=_("Undertaking unit"), required=True)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    project_type = forms.ChoiceField(label=_("Project type"), choices=c.ProjectType.choices)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=c.ProjectLevel.choices,
        help_text=_("General: up to 100,000 yuan; key: up to 300,000 yuan; major: case by case."),
    )
    funding_mode = forms.ChoiceField(
        label=_("Funding mode"), choices=c.FundingMode.choices, initial=c.FundingMode.AFTER
    )
    approved_amount = _money(_("Approved amount (yuan)"))
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a major project, the reasons it is decided case by case."),
    )

    def __init__(self, *args, user, project=None, **kwargs):
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{n: getattr(project, n) for n in Project.EDITABLE_FIELDS},
                    "organization": project.organization.credit_code or project.organization.name,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["organization"].user = user
        self.fields["organization"].required = True

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("leader", None)
        return data


class BudgetForm(StyledFormMixin, forms.Form):
    """One amount per category of the budget table (预算表); empty: no line."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        current = {b.category: b.amount for b in project.budget.all()}
        for value, label in c.BudgetCategory.choices:
            self.fields[value] = _money(label, required=False, initial=current.get(value))

    def lines(self):
        return [(k, v, "") for k, v in self.cleaned_data.items() if v]


class ContractForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    signed_on = _date(_("Signed on"))


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = _date(_("Due on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TargetForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=c.TargetKind.choices)
    indicator = forms.CharField(label=_("Indicator"), max_length=120)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, min_value=0)


class ActualsForm(StyledFormMixin, forms.Form):
    """The actual value of each target row."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        for t in project.targets.all():
            label = f"{t.indicator}（{t.unit}）" if t.unit else t.indicator
            self.fields[f"t{t.pk}"] = forms.DecimalField(
                label=label,
                max_digits=12,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=t.actual,
                help_text=_("Target: %(v)s") % {"v": t.target},
            )

    def actuals(self) -> dict:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if v is not None}


class CheckForm(StyledFormMixin, forms.Form):
    """A check on the acceptance rubric: the points of each criterion, the result."""

    kind = forms.ChoiceField(label=_("Kind"), choices=c.CheckKind.choices)
    result = forms.ChoiceField(label=_("Result"), choices=c.CheckResult.choices)
    fix_by = _date(_("Rectify by"), required=False, help_text=_("Only for “to be rectified”."))
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(rubric.criteria.all())
        for cr in self.criteria:
            self.fields[f"c_{cr.code}"] = forms.DecimalField(
                label=f"{cr.name}（{cr.weight}）",
                max_digits=6,
                decimal_places=2,
                min_value=0,
                max_value=cr.weight,
                help_text=cr.evidence,
                widget=forms.TextInput(MONEY),
            )

    def values(self) -> dict:
        return {cr.code: str(self.cleaned_data[f"c_{cr.code}"]) for cr in self.criteria}


class DisbursementForm(StyledFormMixin, forms.Form):
    amount = _money(_("Amount (yuan)"))
    paid_on = _date(_("Paid on"))
    voucher = forms.CharField(label=_("Voucher number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OutputForm(StyledFormMixin, forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)
    resource = forms.ModelChoiceField(label=_("Work"), queryset=None, required=False)
    note = forms.CharField(label=_("Description"), max_length=200, required=False)
    audience = forms.IntegerField(label=_("Audience reached"), min_value=0, initial=0)

    def __init__(self, *args, user, project, **kwargs):
        from kepu.activities.models import Activity
        from kepu.resources.models import Resource

        super().__init__(*args, **kwargs)
        unit = project.organization_id
        self.fields["activity"].queryset = visible_to(
            user, Activity.objects.filter(organization_id=unit)
        ).order_by("-pk")
        self.fields["resource"].queryset = visible_to(
            user, Resource.objects.filter(organization_id=unit)
        ).order_by("-pk")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
