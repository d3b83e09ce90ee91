"""Forms of the workflow area: a survey round, assigning units, a reason, an exception
to the lock. They collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import OrgType
from kepu.core.forms import StyledFormMixin, region_field
from kepu.stats import choices as c
from kepu.stats.models import DataSet, LockException, SurveyRound

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = ["data_set", "year", "title", "opens_on", "units_due", "county_due",
                  "city_due", "province_due"]  # fmt: skip
        widgets = {name: DATE for name in
                   ("opens_on", "units_due", "county_due", "city_due", "province_due")}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_set"].queryset = DataSet.objects.order_by("-year", "code")
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100

    def validate_unique(self):
        """The services check one round per region and year (with the region)."""

    def _post_clean(self):
        """The date order is the service's to explain (per field); the instance is left
        as it is (the service changes it)."""

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class AssignForm(StyledFormMixin, forms.Form):
    org_types = forms.MultipleChoiceField(
        label=_("Organization types"),
        choices=OrgType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organization type.")},
    )
    dept_category = forms.ChoiceField(
        label=_("Department category"), choices=c.DeptCategory.choices,
        initial=c.DeptCategory.OTHER,
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, SurveyRound, "assign", label=_("Region"))
        self.order_fields(["region", "org_types", "dept_category"])


class RequiredReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for returning it.")},
    )  # fmt: skip


class ExceptionForm(StyledFormMixin, forms.ModelForm):
    target = forms.ChoiceField(
        label=_("Exception for"),
        choices=[("ret", _("One unit's return")), ("region", _("A whole region"))],
        initial="ret",
    )
    unit = forms.IntegerField(
        label=_("Return number"), required=False, min_value=1,
        help_text=_("The number of the unit's return (from the returns list)."),
    )  # fmt: skip

    class Meta:
        model = LockException
        fields = ["until", "reason"]
        widgets = {"until": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(
            user, LockException, "grant", required=False, label=_("Region")
        )
        self.order_fields(["target", "unit", "region", "until", "reason"])

    def _post_clean(self):
        """The service checks the exception (and explains each refusal)."""
