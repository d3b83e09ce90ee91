"""Page forms of incidents and their expert group, choices narrowed to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import RegionLevel
from kepu.core.forms import StyledFormMixin
from kepu.core.scope import allowed_regions
from kepu.emergency import choices as c
from kepu.emergency.models import GroupMember, Incident

LEVEL_HELP = _(
    "Levels I and II (red, orange) are activated by a province officer; levels III and IV "
    "(yellow, blue) by a province or a city officer."
)


def _regions(user, action, levels):
    return allowed_regions(user, Incident, action).filter(level__in=levels).order_by("code")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RegionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.level <= RegionLevel.PREFECTURE else f"— {obj.name}"


def affected_field(user, action, *, required=True):
    return RegionsChoiceField(
        queryset=_regions(user, action, (RegionLevel.PREFECTURE, RegionLevel.COUNTY)),
        to_field_name="code",
        required=required,
        label=_("Affected regions"),
        help_text=_("Cities and counties within the responsible region; choose one or more."),
        # Added after StyledFormMixin styled the others: its class given here.
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "form-select"}),
    )


class IncidentForm(StyledFormMixin, forms.Form):
    """Activation: what happened, how serious, where; the group is proposed at once."""

    title = forms.CharField(label=_("Title"), max_length=120)
    hazard = forms.ChoiceField(label=_("Hazard"), choices=c.HAZARD_CHOICES)
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=c.Level.choices,
        coerce=int,
        initial=c.Level.IV,
        help_text=LEVEL_HELP,
    )
    region = RegionChoiceField(queryset=None, to_field_name="code", label=_("Responsible region"))
    started_at = forms.DateTimeField(
        label=_("Started at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    summary = forms.CharField(
        label=_("Situation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_drill = forms.BooleanField(
        label=_("This is a drill"),
        required=False,
        help_text=_("An exercise: runs like a real incident and is left out of statistics."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(
            user, "create", (RegionLevel.PROVINCE, RegionLevel.PREFECTURE)
        )
        self.fields["affected_regions"] = affected_field(user, "create")
        self.order_fields(
            ["title", "hazard", "level", "region", "affected_regions", "started_at", "summary"]
        )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class IncidentUpdateForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=c.Level.choices, coerce=int, help_text=LEVEL_HELP
    )
    summary = forms.CharField(
        label=_("Situation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, user, incident, **kwargs):
        kwargs.setdefault(
            "initial",
            {"title": incident.title, "level": incident.level, "summary": incident.summary},
        )
        super().__init__(*args, **kwargs)
        self.fields["add_regions"] = affected_field(user, "change", required=False)
        self.fields["add_regions"].label = _("Add affected regions")
        self.fields["add_regions"].queryset = (
            self.fields["add_regions"]
            .queryset.filter(path__startswith=incident.region.path)
            .exclude(pk__in=incident.affected.values("region_id"))
        )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["add_regions"] = list(data.get("add_regions") or [])
        return data


class CloseForm(StyledFormMixin, forms.Form):
    lessons = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What worked, what did not, what to change before the next incident."),
    )


class InviteForm(forms.Form):
    """The proposals the officer confirms (all of them by default)."""

    members = forms.ModelMultipleChoiceField(
        queryset=GroupMember.objects.none(),
        label=_("Proposed experts"),
        error_messages={"required": _("Choose the proposed experts to invite.")},
    )

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = GroupMember.objects.filter(
            incident=incident, status=c.MemberStatus.PROPOSED
        )


class AddExpertForm(StyledFormMixin, forms.Form):
    """A named expert the officer adds to the group: the next candidates of the
    proposal (best first, with their reasons), beyond those already in the group."""

    person = forms.TypedChoiceField(label=_("Expert"), coerce=int)

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.emergency.services.group import candidates, describe_reasons
        from kepu.people.models import Person

        found = candidates(incident, limit=30)
        names = dict(
            Person.objects.filter(pk__in=[x.person_id for x in found]).values_list("pk", "name")
        )
        self.fields["person"].choices = [("", "---------")] + [
            (
                x.person_id,
                f"{names.get(x.person_id, '')} · {' · '.join(describe_reasons(x.reasons))}",
            )
            for x in found
        ]


class AnswerForm(StyledFormMixin, forms.Form):
    """The expert's answer (own account, or recorded by an officer after a call)."""

    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accepts")), ("no", _("Declines"))],
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(label=_("Reason for declining"), required=False, max_length=300)


class ShiftForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("From"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("To"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
