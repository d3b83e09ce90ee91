"""Forms of the entry area: a return's table (one text field per indicator, the
override reasons and the warnings' explanations: the validation engine reads the texts),
a validation rule (compiled by the engine on the form), loading a data set."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin
from kepu.stats import choices as c
from kepu.stats.models import Indicator, Section, ValidationRule
from kepu.stats.services.validation import Checker, ExpressionError

ACTIONS = (("save", _("Save")), ("submit", _("Submit")))


def reason_name(code: str) -> str:
    return f"reason_{code}"


def explain_name(key: str) -> str:
    return f"explain_{key}"


class ReturnTableForm(forms.Form):
    """The values of one table of a return: texts, read by the engine (never by the
    form), so "十", "-3" and "1,200" reach `returns.save_values`, which names each
    problem beside its field. The reasons and explanations are plain texts."""

    action = forms.ChoiceField(choices=ACTIONS, required=False)

    def __init__(self, *args, indicators, warnings, readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[indicator.code] = forms.CharField(
                label=f"{indicator.code} {indicator.name}",
                required=False,
                max_length=40,
                disabled=readonly,
                strip=True,
            )
            self.fields[reason_name(indicator.code)] = forms.CharField(
                label=_("Reason for differing from the registry"),
                required=False,
                max_length=300,
                disabled=readonly,
            )
        for finding in warnings:
            self.fields[explain_name(finding["key"])] = forms.CharField(
                label=_("Explanation of the warning"),
                required=False,
                max_length=500,
                disabled=readonly,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.warning_keys = [f["key"] for f in warnings]

    def raw_values(self) -> dict:
        return {i.code: self.cleaned_data.get(i.code, "") for i in self.indicators}

    def reasons(self) -> dict:
        return {
            i.code: self.cleaned_data[reason_name(i.code)]
            for i in self.indicators
            if self.cleaned_data.get(reason_name(i.code))
        }

    def explanations(self) -> dict:
        """The explanations posted (a field left out of the request keeps its text)."""
        return {
            key: self.cleaned_data.get(explain_name(key), "")
            for key in self.warning_keys
            if explain_name(key) in self.data
        }

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("action") == "submit"


class RuleForm(StyledFormMixin, forms.ModelForm):
    """A validation rule: the engine compiles both sides here, and its messages
    (unknown code, a construct that is not allowed) are shown on the field."""

    class Meta:
        model = ValidationRule
        fields = ["code", "kind", "left", "operator", "right", "importance", "message", "is_active"]
        widgets = {
            "left": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            "right": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        }

    def __init__(self, *args, data_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_set = data_set
        self.fields["left"].help_text = _(
            "Indicator codes, numbers, + − × ÷ and brackets, e.g. KJ120 + KJ130. For a change "
            "from last year: the codes it watches, separated by spaces."
        )
        self.fields["right"].help_text = _("Empty for a change from last year.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = ValidationRule.objects.filter(data_set=self.data_set, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This data set already has a rule with this code."))
        return code

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        rule = ValidationRule(data_set=self.data_set, **{
            f: data.get(f) for f in ("code", "kind", "left", "operator", "right", "importance")
        })  # fmt: skip
        if rule.kind == c.RuleKind.COMPARE and not (rule.right or "").strip():
            self.add_error("right", _("A comparison needs a right side."))
            return data
        checker = Checker(self.data_set)
        try:
            checker.compile_rule(rule)
        except ExpressionError as exc:
            field = "left"
            if rule.kind == c.RuleKind.COMPARE:
                try:
                    checker.compile_rule(ValidationRule(kind=rule.kind, left=rule.left, right="0"))
                except ExpressionError:
                    field = "left"
                else:
                    field = "right"
            self.add_error(field, str(exc))
        return data

    def service_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class LoadDataSetForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)


CODE_PATTERN = r"^[A-Z][A-Z0-9_]{1,15}$"


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    """An indicator of a data set: its table and section, code (letters and digits, as
    the national codes), name, unit, type, the total it breaks down and the rest."""

    class Meta:
        model = Indicator
        fields = [
            "table", "section", "code", "name", "unit", "value_type", "parent", "breakdown",
            "definition", "official", "prefill", "per_capita", "order",
        ]  # fmt: skip

    def __init__(self, *args, data_set, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.stats import prefill as registry

        self.data_set = data_set
        self.fields["table"].queryset = data_set.tables.order_by("order")
        self.fields["section"].queryset = Section.objects.filter(table__data_set=data_set)
        self.fields["parent"].queryset = data_set.indicators.order_by("table__order", "order")
        self.fields["code"].validators.append(
            RegexValidator(CODE_PATTERN, _("Capital letters and digits, e.g. KR180."))
        )
        choices = [("", "—")] + [(key, str(src.label)) for key, src in registry.SOURCES.items()]
        self.fields["prefill"] = forms.ChoiceField(
            label=_("Pre-filled from"), choices=choices, required=False
        )
        self.fields["official"].help_text = _("Tick when the code is the national one.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = Indicator.objects.filter(data_set=self.data_set, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This data set already has an indicator with this code."))
        return code

    def service_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}
