"""How base rows are scoped. A base belongs to the officers of the region where it lies
(and above); its unit's staff act on their own base (annual reports, applications);
listed bases are public (the directory and the map)."""

from django.db.models import Q

from kepu.bases import choices as c
from kepu.bases.models import Base
from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, grant, register

register(
    Base,
    ScopeRule(region="region", organization="organization", public=Q(status__in=c.LISTED_STATUSES)),
)

B = "bases"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{B}.base.{a}" for a in ("view", "export", "create", "change", "warn", "revoke")),
)
grant(Role.MEMBER_STAFF, f"{B}.base.view", f"{B}.base.change")

# -- annual reports and evaluation --
# Reports, spot checks, results and rectification orders carry copies of their base's
# region and unit: the officers of the region (and above) act on them, the unit's staff
# file their own report and rectification report and read their results.
from kepu.bases.models import (  # noqa: E402
    AnnualEvaluation,
    AnnualReport,
    EvaluationRound,
    Rectification,
    ReportEvidence,
    ReportWindow,
    SpotCheck,
)
from kepu.core.scope import declare_unscoped  # noqa: E402

register(AnnualReport, ScopeRule(region="region", organization="organization"))
register(SpotCheck, ScopeRule(region="region"))
register(ReportWindow, ScopeRule(region="region"))
register(
    EvaluationRound,
    ScopeRule(region="region", public=Q(status="published")),
)
register(AnnualEvaluation, ScopeRule(region="region", organization="organization"))
register(Rectification, ScopeRule(region="region", organization="organization"))
declare_unscoped(ReportEvidence, "Evidence is only reached through its report (scoped).")
grant(
    Role.REGIONAL_OFFICER,
    *(f"{B}.annualreport.{a}" for a in ("view", "export", "create", "change", "review")),
    *(f"{B}.reportwindow.{a}" for a in ("view", "create")),
    *(f"{B}.spotcheck.{a}" for a in ("view", "export", "create", "change")),
    *(f"{B}.evaluationround.{a}" for a in ("view", "export", "create", "change", "publish")),
    f"{B}.annualevaluation.view",
    f"{B}.annualevaluation.change",
    *(f"{B}.rectification.{a}" for a in ("view", "create", "change", "decide")),
)
grant(
    Role.MEMBER_STAFF,
    *(f"{B}.annualreport.{a}" for a in ("view", "create", "change")),
    f"{B}.annualevaluation.view",
    f"{B}.rectification.view",
    f"{B}.rectification.change",
)
