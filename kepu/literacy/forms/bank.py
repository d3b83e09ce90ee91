"""Forms of the item bank. They read what an officer types on a phone (options one per
line, the key as letters or 对/错) into model values; the services decide (the rules of
`services/bank_checks.py`) and their refusals land on these forms."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.forms import StyledFormMixin
from kepu.literacy import choices as c
from kepu.literacy.models import Dimension, Instrument
from kepu.literacy.services.bank_checks import (
    item_errors,
    key_text,
    options_text,
    parse_key,
    parse_options,
)
from kepu.resources.views.review import ReviewForm


class DimensionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.instrument.name} · {obj.name}"


class ItemForm(StyledFormMixin, forms.Form):
    """An item's fields; `options` and `key` are typed as text."""

    instrument = forms.ModelChoiceField(
        label=_("Test structure"), queryset=Instrument.objects.order_by("-year", "code"),
        to_field_name="code",
    )  # fmt: skip
    dimension = DimensionChoiceField(
        label=_("Dimension"),
        queryset=Dimension.objects.select_related("instrument").order_by(
            "instrument__code", "position"
        ),
    )
    sub_dimension = forms.CharField(
        label=_("Sub-dimension"), required=False, max_length=60,
        help_text=_("For the 2016 基准 test: the 基准 it tests (基准1 to 基准26)."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind of question"), choices=c.ItemKind.choices)
    code = forms.CharField(
        label=_("Item code"), required=False, max_length=30,
        help_text=_("Leave empty to number it automatically."),
    )  # fmt: skip
    stem = forms.CharField(
        label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    options = forms.CharField(
        label=_("Options"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "A. …\nB. …\nC. …\nD. …"}),
        help_text=_("One option per line, starting with its letter: “A. …”. None for a "
                    "true-or-false question."),
    )  # fmt: skip
    key = forms.CharField(
        label=_("Correct answer"), required=False, max_length=20,
        help_text=_("The letter(s) of the correct option(s), e.g. “B” or “ACD”; T or F (对 or "
                    "错) for true or false; empty for a questionnaire question."),
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the answer is right, in a sentence or two (shown after the survey)."),
    )  # fmt: skip
    difficulty = forms.ChoiceField(
        label=_("Target difficulty"), choices=c.Difficulty.choices, initial=c.Difficulty.MEDIUM
    )
    source = forms.CharField(
        label=_("Source"), required=False, max_length=200,
        help_text=_("e.g. 《中国公民科学素质基准》基准13"),
    )  # fmt: skip

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "instrument": item.instrument.code, "dimension": item.dimension_id,
                    "sub_dimension": item.sub_dimension, "kind": item.kind, "code": item.code,
                    "stem": item.stem, "options": options_text(item.options),
                    "key": key_text(item.key), "explanation": item.explanation,
                    "difficulty": item.difficulty, "source": item.source,
                },
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""

    def clean_options(self):
        try:
            return parse_options(self.cleaned_data.get("options", ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        # The service checks the same rules (`item_errors`); checked here too so that every
        # problem of the form shows in one round, whatever else is missing.
        data = super().clean()
        if self.errors.get("options"):
            return data
        fields = {
            "instrument": data.get("instrument"), "dimension": data.get("dimension"),
            "kind": data.get("kind", ""), "stem": data.get("stem", "") or " ",
            "sub_dimension": data.get("sub_dimension", ""),
            "options": [] if data.get("kind") == c.ItemKind.TRUE_FALSE else data.get("options"),
            "key": parse_key(data.get("key", ""), data.get("kind", "")),
        }  # fmt: skip
        for name, message in item_errors(fields).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        fields = {
            name: data[name]
            for name in (
                "instrument", "dimension", "sub_dimension", "kind", "stem", "explanation",
                "difficulty", "source",
            )
        }  # fmt: skip
        fields["options"] = [] if kind == c.ItemKind.TRUE_FALSE else data["options"]
        fields["key"] = parse_key(data.get("key", ""), kind)
        if not self.fields["code"].disabled:
            fields["code"] = data.get("code", "")
        return fields


class SendToReviewForm(StyledFormMixin, forms.Form):
    """The experts to review an item (from the candidates without a conflict of interest)
    and by when."""

    reviewers = forms.MultipleChoiceField(
        label=_("Experts"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expert.")},
    )  # fmt: skip
    due_date = forms.DateField(
        label=_("Reviews due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Keyed by the expert (person): one expert may sit in several pools.
        self.candidates = {str(m.person_id): m for m in candidates}
        self.fields["reviewers"].choices = [
            (k, f"{m.person.name} · {m.pool.name}") for k, m in self.candidates.items()
        ]
        self.initial.setdefault("due_date", clock.today() + datetime.timedelta(days=14))

    def memberships(self) -> list:
        return [self.candidates[k] for k in self.cleaned_data.get("reviewers", [])]


class RetireForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the item is retired.")},
    )  # fmt: skip


class ItemReviewForm(ReviewForm):
    """The catalog's structured accuracy review, filed on an item."""
