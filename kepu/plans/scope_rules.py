"""How plan rows are scoped, and which role may do what with them.

A plan belongs to the officers of its region; the units named on its tasks (lead or
responsible) see the plan, its targets and their own progress reports. A target belongs
to its own region (a province target's city part is in that city's scope) and to its
unit. Published plans, their tasks and targets are public (the progress page); reports
and supervision notes never are.

Plans visible where they apply (the rule's `reach`): the officers of a region also read
(view and export, never act on) every *published* plan of another region that applies to
theirs, with its sections, tasks and targets: a plan with a target for their region or a
region within it (a part of a decomposed target, or a target set for it directly), or
with a task naming a unit (lead or responsible) of their region or a region within it. A
share of the region *above* does not make a plan apply: 锦江区 does not see a plan only
because 成都市 has a part of its target. Drafts of other regions stay invisible. What
they act on is unchanged: their own target parts, their units' reports.
"""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.models import Organization
from kepu.core.scope import ScopeRule, declare_unscoped, grant, region_q, register
from kepu.plans.choices import PUBLIC_PLAN_STATUSES
from kepu.plans.models import (
    ConferenceMember,
    JointConference,
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingMinutes,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    Section,
    SupervisionNote,
    Target,
    Task,
    TaskUnit,
)


def applying_plans(regions):
    """The ids of the published plans that apply to `regions` (each with its subtree):
    a target for one of them, or a task naming one of their units. Two indexed
    subqueries (targets by region, task units by organization), no loop over plans."""
    targets = Target.objects.filter(region_q("region_id", regions)).values("plan_id")
    units = Organization.objects.filter(region_q("region_id", regions)).values("pk")
    named = TaskUnit.objects.filter(organization_id__in=units).values("task__plan_id")
    return (
        Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)
        .filter(Q(pk__in=targets) | Q(pk__in=named))
        .values("pk")
    )


register(
    Plan,
    ScopeRule(
        region="region",
        organization="tasks__units__organization",
        public=Q(status__in=PUBLIC_PLAN_STATUSES),
        reach=lambda regions: Q(pk__in=applying_plans(regions)),
    ),
)
register(
    Section,
    ScopeRule(
        region="plan__region",
        organization="plan__tasks__units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
        reach=lambda regions: Q(plan_id__in=applying_plans(regions)),
    ),
)
register(
    Task,
    ScopeRule(
        region="plan__region",
        organization="units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
        reach=lambda regions: Q(plan_id__in=applying_plans(regions)),
    ),
)
register(
    Target,
    ScopeRule(
        region="region",
        organization="plan__tasks__units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
        reach=lambda regions: Q(plan_id__in=applying_plans(regions)),
    ),
)
register(ProgressReport, ScopeRule(region="task__plan__region", organization="organization"))
register(
    ReportAttachment,
    ScopeRule(region="report__task__plan__region", organization="report__organization"),
)
register(
    SupervisionNote,
    ScopeRule(region="task__plan__region", organization="task__units__organization"),
)
declare_unscoped(TaskUnit, "read through its task (the division-of-work table)")
declare_unscoped(ReportFigure, "read through its progress report or its target")
declare_unscoped(ReportEvent, "read through its progress report (the report's history)")

# Joint conferences (issue 26): the officers of the conference's region; the member units
# see their conference, its meetings, decisions and minutes.
register(JointConference, ScopeRule(region="region", organization="memberships__organization"))
for model, prefix in ((Meeting, ""), (MeetingDecision, "meeting__"), (MeetingMinutes, "meeting__")):
    register(
        model,
        ScopeRule(
            region=f"{prefix}conference__region",
            organization=f"{prefix}conference__memberships__organization",
        ),
    )
declare_unscoped(ConferenceMember, "read through its conference")
declare_unscoped(MeetingAttendance, "read through its meeting")

MEETINGS = ("plans.jointconference", "plans.meeting", "plans.meetingdecision")
grant(
    Role.REGIONAL_OFFICER,
    *(f"{m}.{a}" for m in MEETINGS for a in ("view", "create")),
    "plans.meeting.change",
    "plans.meeting.export",
    "plans.meetingminutes.view",
    "plans.meetingminutes.create",
)
grant(Role.MEMBER_STAFF, *(f"{m}.view" for m in MEETINGS), "plans.meetingminutes.view")

P = "plans.plan"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{P}.{x}" for x in ("view", "create", "change", "publish", "export")),
    "plans.task.view",
    "plans.task.change",
    "plans.target.view",
    "plans.target.change",
    "plans.target.export",
    "plans.progressreport.view",
    "plans.progressreport.review",
    "plans.progressreport.export",
    "plans.reportattachment.view",
    "plans.supervisionnote.view",
    "plans.supervisionnote.create",
)
# The units named on tasks report progress and answer supervision notes.
grant(
    Role.MEMBER_STAFF,
    f"{P}.view",
    f"{P}.export",
    "plans.task.view",
    "plans.target.view",
    "plans.target.export",
    "plans.progressreport.view",
    "plans.progressreport.submit",
    "plans.reportattachment.view",
    "plans.supervisionnote.view",
    "plans.supervisionnote.respond",
)

# The object rules (self- and unit-dependent refusals) are registered with the scope engine.
from kepu.plans import assessment_rules, rules  # noqa: E402, F401
