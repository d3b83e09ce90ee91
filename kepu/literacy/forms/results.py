"""Page forms of the results area: a new 科普指数 and its settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.forms import region_field
from kepu.literacy import choices as c
from kepu.literacy.models import IndexTree


class IndexForm(forms.Form):
    """A new index: the region whose subordinate regions it compares, the year and the
    method (the indicator tree is the default one)."""

    region = forms.ModelChoiceField(queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=120, required=False,
                           help_text=_("Left empty: the region's name and the year."))  # fmt: skip
    normalization = forms.ChoiceField(label=_("Normalization"), choices=c.Normalization.choices)
    weighting = forms.ChoiceField(label=_("Weighting"), choices=c.Weighting.choices)
    method_note = forms.CharField(label=_("Method note"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, IndexTree, "create")
        self.fields["year"].initial = clock.today().year - 1
        self.fields["weighting"].initial = c.Weighting.CV
