"""The expert-answer form: the question, the expert's answer, and which expert of the
incident's group gave it (accepted members only: the same rule as the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin
from kepu.emergency.services.answers import accepted_experts


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} {obj.title}".strip()


class AnswerForm(StyledFormMixin, forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    person = ExpertChoiceField(label=_("Answered by"), queryset=None, empty_label=None)

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = accepted_experts(incident)
