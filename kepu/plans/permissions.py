"""Checked single-row fetches for the plan pages and API. Back-office reads leave out the
public rows (a published plan of another region is on the portal, not in the back office)."""

from kepu.core.scope import get_for_user, member_units
from kepu.plans.models import (
    JointConference,
    Meeting,
    Plan,
    ProgressReport,
    SupervisionNote,
    Target,
    Task,
)


def get_plan_for_user(user, pk, action="view") -> Plan:
    return get_for_user(Plan.objects.with_relations(), user, pk, action, public=False)


def get_task_for_user(user, pk, action="view") -> Task:
    return get_for_user(Task.objects.with_units(), user, pk, action, public=False)


def get_target_for_user(user, pk, action="view") -> Target:
    queryset = Target.objects.select_related("plan", "plan__region", "region", "organization")
    return get_for_user(queryset, user, pk, action, public=False)


def get_report_for_user(user, pk, action="view") -> ProgressReport:
    return get_for_user(ProgressReport.objects.with_relations(), user, pk, action)


def get_note_for_user(user, pk, action="view") -> SupervisionNote:
    queryset = SupervisionNote.objects.select_related("task", "task__plan", "organization")
    return get_for_user(queryset, user, pk, action)


def get_public_plan(pk) -> Plan:
    """A published plan for the portal (404 for drafts)."""
    from django.http import Http404

    plan = Plan.objects.public().with_relations().filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def own_units(user, action="submit") -> list:
    """The organizations for which `user` may `action` progress reports as member staff."""
    return member_units(user, ProgressReport, action)


def get_conference_for_user(user, pk, action="view") -> JointConference:
    return get_for_user(JointConference.objects.select_related("region"), user, pk, action)


def get_meeting_for_user(user, pk, action="view") -> Meeting:
    return get_for_user(Meeting.objects.with_relations(), user, pk, action)


def get_assessment_for_user(user, pk, action="view"):
    from kepu.plans.models import AssessmentRound

    return get_for_user(AssessmentRound.objects.with_relations(), user, pk, action, public=False)


def get_assessment_entry_for_user(user, pk, action="view"):
    from kepu.plans.models import AssessmentEntry

    return get_for_user(AssessmentEntry.objects.with_relations(), user, pk, action)


def get_public_assessment(pk):
    """A published, public assessment result for the portal (404 otherwise)."""
    from django.http import Http404

    from kepu.plans.models import AssessmentRound

    round_ = AssessmentRound.objects.public().with_relations().filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_
