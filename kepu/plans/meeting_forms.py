"""Forms of the joint-conference pages (issue 26): a conference with its member units,
a meeting with the units present, a decision (with the work it assigns) and minutes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.forms import MultipleFileField, StyledFormMixin, region_field
from kepu.core.models import Organization
from kepu.core.scope import visible_to
from kepu.plans import choices as c
from kepu.plans.forms import DATE, resolve_units
from kepu.plans.models import JointConference, Meeting, Plan


def _unit_lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _resolve(form, field: str, lines, units):
    found, problems = resolve_units([ref for _n, ref in lines], units)
    for i, several in problems:
        line, ref = lines[i]
        message = (
            _("Line %(line)d: “%(ref)s”: several units have this name; give its credit code.")
            if several
            else _("Line %(line)d: “%(ref)s” is not a unit of this region you can see.")
        )
        form.add_error(field, message % {"line": line, "ref": ref})
    return found


class ConferenceForm(StyledFormMixin, forms.ModelForm):
    members_text = forms.CharField(
        label=_("Member units"),
        help_text=_("One unit per line: its exact name or its unified social credit code."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = JointConference
        fields = ["name", "region", "office"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"] = region_field(user, JointConference, "create")

    def clean(self):
        data = super().clean()
        region = data.get("region")
        if region is not None and data.get("members_text"):
            units = visible_to(self.user, Organization.objects.in_region(region))
            data["members"] = _resolve(
                self, "members_text", _unit_lines(data["members_text"]), units
            )
        return data


class MeetingForm(StyledFormMixin, forms.ModelForm):
    present = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        label=_("Member units present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    number = forms.IntegerField(
        label=_("Meeting number"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Leave empty for the next number."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "date", "place", "chaired_by", "topics", "attendees"]
        widgets = {
            "date": DATE,
            "topics": forms.Textarea(attrs={"rows": 4}),
            "attendees": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Organization.objects.filter(
            conference_memberships__conference=conference
        ).order_by("conference_memberships__position")

    def _post_clean(self):
        # The meeting is validated by the service, with its conference and number.
        pass


class DecisionTextForm(StyledFormMixin, forms.Form):
    """A recorded decision's wording, corrected."""

    text = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_unit = forms.CharField(
        label=_("Lead unit"),
        required=False,
        max_length=200,
        help_text=_("For a decision that assigns work: its exact name or credit code."),
    )
    responsible_units = forms.CharField(
        label=_("Responsible units"),
        required=False,
        help_text=_("One unit per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        label=_("Plan"),
        required=False,
        help_text=_(
            "Leave empty to put the task in the conference's plan of work assigned by its "
            "meetings; or choose the plan of the region the decision carries out."
        ),
    )

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.region = meeting.conference.region
        self.fields["plan"].queryset = (
            visible_to(user, Plan, "change", public=False)
            .filter(region=self.region)
            .exclude(status=c.PlanStatus.CLOSED)
            .order_by("-period_end", "title")
        )

    def clean(self):
        data = super().clean()
        units = visible_to(self.user, Organization.objects.in_region(self.region))
        lead = (data.get("lead_unit") or "").strip()
        data["lead"] = _resolve(self, "lead_unit", [(1, lead)], units)[:1] if lead else []
        data["responsible"] = _resolve(
            self, "responsible_units", _unit_lines(data.get("responsible_units") or ""), units
        )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "lead_unit": data["lead"][0] if data["lead"] else None,
            "responsible_units": data["responsible"],
            "deadline": data.get("deadline"),
            "plan": data.get("plan"),
        }


class MinutesForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(
        label=_("Minutes and papers"),
        accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "PDF, JPG, PNG, DOCX or XLSX; up to %(n)d files of 10 MB each."
        ) % {"n": c.MAX_ATTACHMENTS}
