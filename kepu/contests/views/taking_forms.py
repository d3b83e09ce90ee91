"""The participants' registration form. The service (`taking.register`) decides every
rule (its field errors land on the fields); the form only reads the input and offers
the contest region's counties, grouped by city so that a plain select works without
JavaScript (the page's script narrows the county select to the city chosen first)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.contests import choices as c
from kepu.core import regiontree
from kepu.core.forms import StyledFormMixin
from kepu.core.models import Region

CHOOSE = _("— choose —")


def counties_of(region: Region) -> list[tuple[Region | None, list[Region]]]:
    """[(city or None, [counties])] within `region` (the contest's), in code order."""
    if region.level >= 3:
        return [(None, [region])]
    if region.level == 2:
        return [(region, list(regiontree.children(region)))]
    return [(city, list(regiontree.children(city))) for city in regiontree.children(region)]


class JoinForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    city = forms.ChoiceField(label=pgettext_lazy("contest", "City"), required=False)
    region = forms.ChoiceField(label=_("County or district"), required=False)
    # No default: a preselected group would be counted for everyone who left it alone.
    group = forms.ChoiceField(
        label=_("You are"), choices=[("", ""), *c.Group.choices], required=False
    )
    unit = forms.CharField(label=_("School or workplace (optional)"), max_length=80, required=False)
    consent = forms.BooleanField(
        label=_("I have read the contest's personal-information notice above and agree to it."),
        required=False,
    )

    def __init__(self, *args, contest, person=None, **kwargs):
        self.contest = contest
        self.person = person
        if person is not None:
            kwargs.setdefault("initial", {}).setdefault("name", person.name)
        super().__init__(*args, **kwargs)
        groups = counties_of(contest.region)
        self.counties = {str(r.pk): r for _city, rows in groups for r in rows}
        if len(groups) > 1:
            self.fields["city"].choices = [("", CHOOSE)] + [
                (str(city.pk), city.name) for city, _rows in groups
            ]
            self.fields["city"].widget.attrs["data-city"] = ""
            self.fields["region"].choices = [("", CHOOSE)] + [
                (city.name, [(str(r.pk), r.name) for r in rows]) for city, rows in groups
            ]
        else:
            del self.fields["city"]
            self.fields["region"].choices = [("", CHOOSE)] + [
                (str(r.pk), r.name) for _city, rows in groups for r in rows
            ]
        self.fields["region"].widget.attrs["data-county"] = ""
        if self.has_person_phone:
            del self.fields["phone"]
        if contest.audience != c.Audience.OPEN:
            self.fields["group"].initial = contest.audience

    @property
    def has_person_phone(self) -> bool:
        """A signed-in person with a phone on record registers with it (never shown)."""
        return bool(self.person is not None and self.person.phone_enc)

    def chosen_region(self) -> Region | None:
        chosen = self.counties.get(self.cleaned_data.get("region") or "")
        return Region.objects.filter(pk=chosen.pk).first() if chosen else None
