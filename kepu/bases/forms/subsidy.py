"""Forms of the subsidy rounds and the census (the services check the same rules)."""

import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.bases import choices as c
from kepu.core.forms import StyledFormMixin
from kepu.rubrics.choices import Grade

NUMBER = {"inputmode": "numeric"}


class SubsidyRoundForm(StyledFormMixin, forms.Form):
    """A subsidy round's budget and formula, all amounts in whole yuan."""

    name = forms.CharField(label=_("Name"), max_length=120)
    year = forms.IntegerField(
        label=_("Year evaluated"),
        min_value=2000,
        max_value=2100,
        help_text=_("The scores of this year's annual evaluation are used."),
    )
    budget = forms.IntegerField(
        label=_("Budget (yuan)"), min_value=1, max_value=10**12, widget=forms.NumberInput(NUMBER)
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels"), choices=c.BaseLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=c.BaseCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every category. Science venues only: choose that one."),
    )
    base_amount = forms.IntegerField(
        label=_("Base amount per eligible base (yuan)"),
        min_value=0,
        max_value=10**12,
        initial=0,
        widget=forms.NumberInput(NUMBER),
    )
    score_weight = forms.IntegerField(
        label=_("Share of the rest by score (%)"), min_value=0, max_value=100, initial=70
    )
    visitor_weight = forms.IntegerField(
        label=_("Share of the rest by visitors (%)"),
        min_value=0,
        max_value=100,
        initial=30,
        help_text=_("The two shares add up to 100%."),
    )
    cap = forms.IntegerField(
        label=_("Cap per base (yuan)"),
        min_value=1,
        max_value=10**12,
        required=False,
        widget=forms.NumberInput(NUMBER),
        help_text=_("Empty: no cap. What a capped base would get over it goes to the others."),
    )
    ineligible_grades = forms.MultipleChoiceField(
        label=_("Grades that get nothing"),
        choices=Grade.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Grade.FAIL],
    )

    def __init__(self, *args, region_field=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region_field is not None:
            self.fields = {"region": region_field, **self.fields}

    def formula(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("region", None)
        return data


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


def example_fields() -> list[dict]:
    """The field list a new census starts from (the officer edits it)."""
    return [
        {"code": "area_m2", "label": str(_("Exhibition area")), "type": "decimal",
         "required": True, "unit": "m²", "min": 0},
        {"code": "visitors", "label": str(_("Visitors last year")), "type": "int",
         "required": True, "min": 0},
        {"code": "exhibits_renewed", "label": str(_("Exhibits renewed")), "type": "int",
         "min": 0},
        {"code": "owner", "label": str(_("Ownership")), "type": "choice", "required": True,
         "choices": [str(_("Public")), str(_("Private")), str(_("Mixed"))]},
        {"code": "barrier_free", "label": str(_("Barrier-free access")), "type": "bool"},
        {"code": "notes", "label": str(_("Notes")), "type": "text"},
    ]  # fmt: skip


class CensusRoundForm(StyledFormMixin, forms.Form):
    """A census round: its fields as a JSON list (one object per field)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    fields_json = forms.CharField(
        label=_("Fields"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text=_(
            "One object per field: code (lower-case letters, digits, _), label, type "
            "(int, decimal, text, choice, bool), required (true/false), unit, min, max, "
            "choices (for a choice field)."
        ),
    )

    def __init__(self, *args, region_field=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region_field is not None:
            self.fields = {"region": region_field, **self.fields}
        self.fields["fields_json"].initial = json.dumps(
            example_fields(), ensure_ascii=False, indent=1
        )

    def clean_fields_json(self):
        text = self.cleaned_data["fields_json"]
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s, column %(col)s): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from exc


class CensusReturnForm(StyledFormMixin, forms.Form):
    """A return, its inputs built from the round's field definitions; every answer is
    text here and checked by the service against its definition (one validation path)."""

    def __init__(self, *args, definitions, values=None, **kwargs):
        super().__init__(*args, **kwargs)
        values = values or {}
        for f in definitions:
            label = f["label"] + (f" ({f['unit']})" if f.get("unit") else "")
            kind = f["type"]
            hint = ""
            if kind in ("int", "decimal") and "min" in f and "max" in f:
                hint = _("From %(low)s to %(high)s") % {"low": f["min"], "high": f["max"]}
            elif kind in ("int", "decimal") and "min" in f:
                hint = _("At least %(n)s.") % {"n": f["min"]}
            elif kind in ("int", "decimal") and "max" in f:
                hint = _("At most %(n)s.") % {"n": f["max"]}
            if kind == "choice":
                widget = forms.Select(choices=[("", "—"), *((x, x) for x in f["choices"])])
            elif kind == "bool":
                widget = forms.Select(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))])
            elif kind == "text":
                widget = forms.Textarea(attrs={"rows": 2})
            else:
                mode = "numeric" if kind == "int" else "decimal"
                widget = forms.TextInput(attrs={"inputmode": mode})
            initial = values.get(f["code"])
            if kind == "bool" and initial is not None:
                initial = "yes" if initial else "no"
            field = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                widget=widget,
                help_text=hint,
                initial=initial,
            )
            field.is_required_answer = f.get("required", False)
            self.fields[f["code"]] = field
        # The mixin styled the fields that existed when it ran: style these too.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class AdjustForm(StyledFormMixin, forms.Form):
    """Manual adjustment of a submitted allocation: one line per base, "base number =
    amount"; the service refuses amounts that do not add up to the budget."""

    amounts = forms.CharField(
        label=_("New amounts"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_("One line per base: its number (No. in the table) = the new amount in yuan."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_amounts(self):
        found, problems = {}, []
        for n, line in enumerate(self.cleaned_data["amounts"].splitlines(), start=1):
            if not line.strip():
                continue
            match = ADJUST_LINE.match(line)
            if match is None:
                problems.append(
                    _("Line %(n)s: write the base number and the amount, e.g. 123 = 50000.")
                    % {"n": n}
                )
                continue
            found[int(match.group(1))] = int(match.group(2))
        if problems:
            raise forms.ValidationError(problems)
        if not found:
            raise forms.ValidationError(_("Give at least one new amount."))
        return found


ADJUST_LINE = re.compile(r"^\s*(\d{1,12})\s*[=:,\s]\s*(\d{1,13})\s*$")
