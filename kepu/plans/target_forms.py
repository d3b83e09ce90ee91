"""Forms of the target pages: a target (its indicator, region or unit, baseline and
target value) and its decomposition (分解) into parts for subordinate regions and units.
The services check every rule again; the forms narrow the choices to the plan and to the
user's scope. (The target list's filters are `filters.TargetFilter`.)"""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin
from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, scope_roots
from kepu.core.widgets import RegionCascadeWidget
from kepu.plans import choices as c
from kepu.plans import indicators
from kepu.plans.models import Target, TaskUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"max_digits": 14, "decimal_places": 2}


def _number_input(**attrs):
    return forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", **attrs})


def _plain(value: Decimal) -> Decimal:
    """400.00 → 400, 12.50 → 12.5 (for prefilled boxes)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class IndicatorSelect(forms.Select):
    """Each option carries the indicator's definition and unit of measure, which
    dashboard.js shows under the field when the option is chosen."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        indicator = indicators.REGISTRY.get(value)
        if indicator is not None:
            option["attrs"]["data-definition"] = str(indicator.definition)
            option["attrs"]["data-unit"] = str(indicator.unit)
        return option


def _top_regions(regions) -> list[Region]:
    """The regions of `regions` that are not below another one of them."""
    paths = {r.path: r for r in regions}
    return [
        r for p, r in sorted(paths.items()) if not any(p != o and p.startswith(o) for o in paths)
    ]


class TargetForm(StyledFormMixin, forms.ModelForm):
    """A target of `plan`: measured from a registry indicator or reported by the units."""

    indicator = forms.ChoiceField(
        label=_("Registry indicator"),
        required=False,
        widget=IndicatorSelect(attrs={"data-indicator": ""}),
    )

    class Meta:
        model = Target
        fields = [
            "source",
            "indicator",
            "name",
            "unit",
            "region",
            "organization",
            "task",
            "baseline_date",
            "baseline_value",
            "target_value",
            "comparison",
            "deadline",
            "additive",
        ]
        widgets = {
            "baseline_date": DATE,
            "deadline": DATE,
            "baseline_value": _number_input(),
            "target_value": _number_input(),
            "source": forms.Select(attrs={"data-target-source": ""}),
        }

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["indicator"].choices = [("", _("— choose —")), *indicators.choices()]
        self.fields["indicator"].help_text = self._definition()
        self.fields["name"].required = False
        self.fields["name"].label = _("Name of the indicator")
        self.fields["name"].help_text = _("Leave empty to use the name of the registry indicator.")
        self.fields["unit"].help_text = _("For example 人, 场, 个 or %.")
        # Optional on the form (and the API): a target is "at least" unless it says above.
        self.fields["comparison"].required = False
        self._narrow_region(user)
        units = TaskUnit.objects.filter(task__plan=plan).values("organization")
        current = Q(pk=self.instance.organization_id) if self.instance.organization_id else Q()
        organizations = Organization.objects.filter(Q(pk__in=units) | current).order_by("name")
        self.fields["organization"].queryset = organizations
        self.fields["organization"].help_text = _(
            "A target for one unit named in the plan; leave empty for the whole region."
        )
        self.fields["task"].queryset = plan.tasks.order_by("position", "pk")
        self.fields["task"].help_text = _(
            "The task it measures. Units report reported targets on this task."
        )
        if not self.instance.pk:
            self.initial.setdefault("source", c.TargetSource.MEASURED)
            self.initial.setdefault(
                "baseline_date", plan.baseline_date or plan.issued_on or plan.period_start
            )
            self.initial.setdefault("deadline", plan.period_end)
            self.initial.setdefault("additive", True)

    def _narrow_region(self, user):
        plan_region = self.plan.region
        queryset = allowed_regions(user, Target, "change") & Region.objects.subtree(plan_region)
        candidates = [plan_region, *scope_roots(user)]
        roots = _top_regions(
            [
                r
                for r in candidates
                if r.is_within(plan_region) and queryset.filter(pk=r.pk).exists()
            ]
        )
        self.fields["region"] = forms.ModelChoiceField(
            queryset=queryset,
            to_field_name="code",
            label=_("Region"),
            widget=RegionCascadeWidget(roots=roots),
            help_text=_("The plan's region or a region below it."),
            error_messages={
                "invalid_choice": _("Choose the plan's region or a region below it."),
                "required": _("Choose a region."),
            },
        )
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code
        elif roots:
            self.initial.setdefault("region", roots[0].code)

    def _definition(self) -> str:
        code = self.data.get(self.add_prefix("indicator")) if self.is_bound else None
        code = code or self.initial.get("indicator") or self.instance.indicator
        indicator = indicators.REGISTRY.get(code or "")
        if indicator is None:
            return _("How the actual value is counted appears here when you choose one.")
        return indicator.definition

    def clean(self):
        data = super().clean()
        source = data.get("source")
        indicator = indicators.REGISTRY.get(data.get("indicator") or "")
        if source == c.TargetSource.REPORTED:
            # The units report the figure: no indicator, whatever the select still holds.
            data["indicator"] = ""
        # A measured target without an indicator is refused by the model's own check.
        if not data.get("name"):
            if indicator is not None and source == c.TargetSource.MEASURED:
                data["name"] = str(indicator.label)
            elif source != c.TargetSource.MEASURED:
                self.add_error("name", _("Name the target."))
        if not data.get("unit") and source == c.TargetSource.MEASURED and indicator is not None:
            data["unit"] = str(indicator.unit)
        data["comparison"] = data.get("comparison") or c.Comparison.AT_LEAST
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DecomposeForm(StyledFormMixin, forms.Form):
    """One number per child region of the target's region (and per unit of its task or
    plan), prefilled with the current parts. An empty box is no part; the service checks
    that the parts of an additive target add up to it."""

    def __init__(self, *args, target, regions, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        parts = list(target.parts.select_related("region", "organization"))
        by_region = {p.region_id: p for p in parts if p.organization_id is None}
        by_unit = {p.organization_id: p for p in parts if p.organization_id is not None}
        # Parts further down than the child regions (set elsewhere) keep their rows.
        listed = {r.pk for r in regions}
        regions = [*regions, *(p.region for p in by_region.values() if p.region_id not in listed)]
        listed = {u.pk for u in units}
        units = [
            *units,
            *(p.organization for p in by_unit.values() if p.organization_id not in listed),
        ]
        self.with_baselines = target.baseline_value != 0
        self.rows = []
        for kind, items, existing in (("r", regions, by_region), ("o", units, by_unit)):
            for item in items:
                key = f"{kind}{item.code if kind == 'r' else item.pk}"
                part = existing.get(item.pk)
                self._add_row(kind, key, item, part)

    def _add_row(self, kind, key, item, part):
        value = forms.DecimalField(
            label=str(item),
            required=False,
            min_value=0,
            widget=_number_input(**{"data-part": "", "class": "form-control"}),
            **AMOUNT,
        )
        self.fields[key] = value
        if part is not None:
            self.initial[key] = _plain(part.target_value)
        baseline_key = None
        if self.with_baselines:
            baseline_key = f"{key}_baseline"
            self.fields[baseline_key] = forms.DecimalField(
                label=_("Baseline of %(part)s") % {"part": item},
                required=False,
                min_value=0,
                widget=_number_input(**{"data-part-baseline": "", "class": "form-control"}),
                **AMOUNT,
            )
            if part is not None:
                self.initial[baseline_key] = _plain(part.baseline_value)
            elif not self.target.additive:
                self.initial[baseline_key] = _plain(self.target.baseline_value)
        self.rows.append({"kind": kind, "item": item, "key": key, "baseline_key": baseline_key})

    def bound_rows(self, kind):
        return [
            {
                **row,
                "field": self[row["key"]],
                "baseline": self[row["baseline_key"]] if row["baseline_key"] else None,
            }
            for row in self.rows
            if row["kind"] == kind
        ]

    def region_rows(self):
        return self.bound_rows("r")

    def unit_rows(self):
        return self.bound_rows("o")

    def has_unit_parts(self) -> bool:
        """Whether some unit has a part (the unit boxes then show unfolded)."""
        for row in self.rows:
            if row["kind"] != "o":
                continue
            if self.is_bound and str(self.data.get(self.add_prefix(row["key"]), "")).strip():
                return True
            if not self.is_bound and self.initial.get(row["key"]) is not None:
                return True
        return False

    def parts(self) -> list[dict]:
        """The parts for services.decompose_target (filled boxes only)."""
        parts = []
        for row in self.rows:
            value = self.cleaned_data.get(row["key"])
            if value is None:
                continue
            part = {"target_value": value}
            if row["kind"] == "r":
                part["region"] = row["item"]
            else:
                part["organization"] = row["item"]
            if row["baseline_key"] and self.cleaned_data.get(row["baseline_key"]) is not None:
                part["baseline_value"] = self.cleaned_data[row["baseline_key"]]
            parts.append(part)
        return parts

    def total(self) -> Decimal:
        """The sum of the parts as the form holds them (submitted or current)."""
        total = Decimal(0)
        for row in self.rows:
            if self.is_bound:
                raw = self.data.get(self.add_prefix(row["key"]), "")
                try:
                    value = Decimal(str(raw).strip()) if str(raw).strip() else None
                except ArithmeticError:
                    value = None
            else:
                value = self.initial.get(row["key"])
            if value is not None and value.is_finite():
                total += value
        return total
