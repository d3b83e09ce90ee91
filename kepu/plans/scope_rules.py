"""How plan rows are scoped, and which role may do what with them.

A plan belongs to the officers of its region; the units named on its tasks (lead or
responsible) see the plan, its targets and their own progress reports. A target belongs
to its own region (a province target's city part is in that city's scope) and to its
unit. Published plans, their tasks and targets are public (the progress page); reports
and supervision notes never are.
"""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, register
from kepu.plans.choices import PUBLIC_PLAN_STATUSES
from kepu.plans.models import (
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

register(
    Plan,
    ScopeRule(
        region="region",
        organization="tasks__units__organization",
        public=Q(status__in=PUBLIC_PLAN_STATUSES),
    ),
)
register(
    Section,
    ScopeRule(
        region="plan__region",
        organization="plan__tasks__units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
    ),
)
register(
    Task,
    ScopeRule(
        region="plan__region",
        organization="units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
    ),
)
register(
    Target,
    ScopeRule(
        region="region",
        organization="plan__tasks__units__organization",
        public=Q(plan__status__in=PUBLIC_PLAN_STATUSES),
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

P = "plans.plan"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{P}.{x}" for x in ("view", "create", "change", "publish", "export")),
    "plans.task.view",
    "plans.task.change",
    "plans.target.view",
    "plans.target.change",
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
    "plans.progressreport.view",
    "plans.progressreport.submit",
    "plans.reportattachment.view",
    "plans.supervisionnote.view",
    "plans.supervisionnote.respond",
)

# The object rules (self- and unit-dependent refusals) are registered with the scope engine.
from kepu.plans import rules  # noqa: E402, F401
