"""Forms of the officer area: a contest, a round (with its blueprint as a compact table
of rows), a reason (exclude, restore, cancel) and the reason for revealing a phone. They
collect input; the services decide (`services.contests`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.contests import choices as c
from kepu.contests.models import Contest, ContestRound
from kepu.core.choices import RegionLevel
from kepu.core.forms import OrganizationRefField, StyledFormMixin, region_field
from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds
from kepu.literacy import choices as lc
from kepu.literacy.models import Dimension, Instrument

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
BLUEPRINT_ROWS = 6


class ContestForm(StyledFormMixin, forms.ModelForm):
    organizer = OrganizationRefField(label=_("Host unit"))

    class Meta:
        model = Contest
        fields = ["region", "title", "year", "audience", "description", "rules", "notice"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 4}),
            "notice": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, Contest, "create", label=_("Organizing region"))
        self.fields["organizer"].user = user
        self.fields["notice"].help_text = _(
            "What is collected, why and how long it is kept: participants agree to it before "
            "they register."
        )
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code
            if self.instance.organizer_id:
                self.initial["organizer"] = self.instance.organizer.name
            if self.instance.status != c.ContestStatus.DRAFT:
                self.fields["region"].disabled = True
        self.order_fields(["region", "organizer", "title", "year", "audience"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["region"].disabled:
            data.pop("region", None)
        return data


def _dimension_choices():
    dims = (
        Dimension.objects.filter(instrument__kind=lc.InstrumentKind.SCORED)
        .select_related("instrument")
        .order_by("instrument__code", "position", "pk")
    )
    return [("", _("— choose —"))] + [(d.pk, f"{d.instrument.name} · {d.name}") for d in dims]


class RoundForm(StyledFormMixin, forms.ModelForm):
    """A round's settings. The blueprint is `BLUEPRINT_ROWS` rows of (dimension,
    difficulty or any, count); empty rows are ignored."""

    advance_level = forms.TypedChoiceField(
        label=_("Regions for top N"), required=False, coerce=int, empty_value=None,
        choices=[("", _("— choose —")), (RegionLevel.PREFECTURE, _("Each city")),
                 (RegionLevel.COUNTY, _("Each county"))],
        help_text=_("For the top N of each region: the level of those regions."),
    )  # fmt: skip

    class Meta:
        model = ContestRound
        fields = [
            "stage", "title", "opens_at", "closes_at", "instrument", "questions",
            "points_per_question", "time_limit", "min_seconds", "attempts_allowed", "practice",
            "regions", "previous", "advancement", "advance_n", "advance_score",
        ]  # fmt: skip
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.fields["instrument"].queryset = Instrument.objects.filter(
            kind=lc.InstrumentKind.SCORED
        ).order_by("-year", "code")
        lo, hi = subtree_bounds(contest.region.path)
        self.fields["regions"].queryset = Region.objects.filter(
            path__gte=lo, path__lt=hi, level__in=(RegionLevel.PREFECTURE, RegionLevel.COUNTY)
        ).order_by("path")
        self.fields["regions"].help_text = _(
            "Empty: residents of the contest's whole region take part."
        )
        self.fields["regions"].widget.attrs["size"] = 8
        previous = contest.rounds.order_by("position")
        if self.instance.pk:
            previous = previous.filter(position__lt=self.instance.position)
            self.initial["advance_level"] = self.instance.advance_level
        self.fields["previous"].queryset = previous
        self.fields["previous"].help_text = _(
            "Only those who advanced from the previous round take part in this one."
        )
        dims = _dimension_choices()  # every scored instrument's: the form checks the pair
        levels = [("", _("Any difficulty")), *lc.Difficulty.choices]
        saved = self._saved_blueprint()
        self.blueprint_names = []
        for i in range(BLUEPRINT_ROWS):
            names = (f"bp{i}_dimension", f"bp{i}_difficulty", f"bp{i}_count")
            # Added after the styling mixin ran: their classes are given here.
            self.fields[names[0]] = forms.TypedChoiceField(
                label=_("Dimension"),
                choices=dims,
                required=False,
                coerce=int,
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[names[1]] = forms.ChoiceField(
                label=_("Difficulty"),
                choices=levels,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[names[2]] = forms.IntegerField(
                label=_("Questions drawn"),
                required=False,
                min_value=1,
                max_value=500,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
            if i < len(saved):
                self.initial[names[0]], self.initial[names[1]], self.initial[names[2]] = saved[i]
            self.blueprint_names.append(names)

    def _saved_blueprint(self) -> list:
        if not self.instance.pk:
            return []
        by_code = {
            d.code: d.pk
            for d in Dimension.objects.filter(instrument_id=self.instance.instrument_id)
        }
        return [
            (by_code.get(r.get("dimension")), r.get("difficulty", ""), r.get("count"))
            for r in self.instance.blueprint or []
        ][:BLUEPRINT_ROWS]

    def blueprint_rows(self):
        """The bound fields of each blueprint row, for the template's compact table."""
        return [[self[name] for name in names] for names in self.blueprint_names]

    def other_fields(self):
        skip = {n for names in self.blueprint_names for n in names}
        return [self[name] for name in self.fields if name not in skip]

    def clean(self):
        data = super().clean()
        instrument = data.get("instrument")
        dims = (
            {d.pk: d for d in Dimension.objects.filter(instrument=instrument)} if instrument else {}
        )
        rows = []
        for i, (dim_name, diff_name, count_name) in enumerate(self.blueprint_names, start=1):
            dim, count = data.get(dim_name), data.get(count_name)
            if dim is None and not count:
                continue
            if dim not in dims:
                self.add_error(
                    dim_name, _("Row %(row)d: choose a dimension of the instrument.") % {"row": i}
                )
                continue
            if not count:
                self.add_error(
                    count_name, _("Row %(row)d: give the number of questions.") % {"row": i}
                )
                continue
            rows.append(
                {
                    "dimension": dims[dim].code,
                    "difficulty": data.get(diff_name) or "",
                    "count": count,
                }
            )
        data["blueprint"] = rows
        return data

    def service_fields(self) -> dict:
        skip = {n for names in self.blueprint_names for n in names}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        data["regions"] = list(data.get("regions") or [])
        return data


class RequiredReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full number?"), max_length=300, min_length=4
    )
