"""Forms of the results area's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin


class PublicityForm(StyledFormMixin, forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Candidates for the public notice"), coerce=int, choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("By default the best corrected ranks that passed the panel vote, up to "
                    "the call's places."),
    )  # fmt: skip

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.pk, e.title) for e in entries]


class AnswerForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismissed", _("Dismiss the objection")), ("upheld", _("Uphold the objection"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Written answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecisionForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("Decision document number"), max_length=60,
        help_text=_("For example 川科协发〔2026〕12号."),
    )  # fmt: skip
    decided_on = forms.DateField(
        label=_("Decided on"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


class ObjectionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Your real name"), max_length=40)
    phone = forms.CharField(label=_("Your mobile phone"), max_length=20)
    text = forms.CharField(
        label=_("Your objection"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the facts and how they can be checked."),
    )  # fmt: skip
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class VerifyForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)
