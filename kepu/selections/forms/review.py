"""Page forms of the review area: the score sheet on the call's rubric, the manual
override of a reviewer, the panel seats and a panel vote."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.forms import StyledFormMixin
from kepu.selections.choices import Vote

# The panel's own words for the votes ("For" alone is already another msgid's, 适合人群).
VOTE_LABELS = {
    Vote.FOR: pgettext_lazy("panel vote", "For"),
    Vote.AGAINST: pgettext_lazy("panel vote", "Against"),
    Vote.ABSTAIN: pgettext_lazy("panel vote", "Abstain"),
}
VOTE_CHOICES = list(VOTE_LABELS.items())


class ScoreForm(StyledFormMixin, forms.Form):
    """One field per criterion; the points are checked by the rubric engine."""

    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for cr in self.criteria:
            self.fields[cr.code] = forms.DecimalField(
                label=cr.name, max_digits=8, decimal_places=2, help_text=cr.evidence,
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal",
                           "min": "0", "max": f"{cr.weight:g}"}
                ),  # fmt: skip
            )  # fmt: skip

    def rows(self):
        return [(cr, self[cr.code]) for cr in self.criteria]

    def values(self) -> dict:
        return {cr.code: self.cleaned_data[cr.code] for cr in self.criteria}


class ReassignForm(StyledFormMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label=_("New reviewer"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.people.models import Person

        self.fields["reviewer"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        self.fields["reviewer"].label_from_instance = lambda p: p.name


class PanelForm(StyledFormMixin, forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Panel members"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.people.models import Person

        queryset = Person.objects.filter(pk__in=[p.pk for p in people]).order_by("name", "pk")
        for name in ("people", "chair"):
            self.fields[name].queryset = queryset
            self.fields[name].label_from_instance = lambda p: p.name
        self.fields["people"].widget.attrs["class"] = "form-check-input"


class VoteForm(StyledFormMixin, forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    vote = forms.ChoiceField(label=_("Vote"), choices=VOTE_CHOICES)
