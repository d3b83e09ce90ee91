"""How base rows are scoped. A base belongs to the officers of the region where it lies
(and above); its unit's staff act on their own base (annual reports, applications);
listed bases are public (the directory and the map)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.bases import choices as c
from kepu.bases.models import (
    AnnualEvaluation,
    AnnualReport,
    Application,
    ApplicationMaterial,
    Base,
    CensusReturn,
    CensusRound,
    DemonstrationArea,
    EvaluationRound,
    MidtermEntry,
    MidtermEvaluation,
    MidtermScoresheet,
    Objection,
    PanelMember,
    RecognitionRound,
    Recommendation,
    Rectification,
    ReportEvidence,
    ReportWindow,
    ScoreSheet,
    SpotCheck,
    SubsidyLine,
    SubsidyRound,
)
from kepu.bases.models.recognition import PUBLIC_ROUND_STATUSES
from kepu.core.choices import Role
from kepu.core.scope import (
    ScopeRule,
    ancestors_reach,
    declare_unscoped,
    grant,
    object_rule,
    register,
)
from kepu.core.workflow import four_eyes

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

# -- mid-term evaluation of demonstration areas --

# An area belongs to the officers of its region and above; a round to the officers of its
# region; an area's entry (its self-assessment) to the officers of the area's region and
# above, so the county fills in its own and the province's evaluators see every one.
register(DemonstrationArea, ScopeRule(region="region"))
register(MidtermEvaluation, ScopeRule(region="region"))
register(MidtermEntry, ScopeRule(region="area__region"))
declare_unscoped(MidtermScoresheet, "read through its entry and its round")
grant(
    Role.REGIONAL_OFFICER,
    *(f"{B}.demonstrationarea.{a}" for a in ("view", "export", "create", "conclude")),
    *(f"{B}.midtermevaluation.{a}" for a in ("view", "export", "create", "score", "publish")),
    f"{B}.midtermentry.view",
    f"{B}.midtermentry.change",
)
# -- subsidies and census --

register(SubsidyRound, ScopeRule(region="region"))
declare_unscoped(SubsidyLine, "read through its subsidy round")


# A census of a region above the user's (the province's) is read by the officers below,
# who file and check their part of it.
register(CensusRound, ScopeRule(region="region", reach=ancestors_reach()))
# A return lies in its base's region and unit: the unit's staff fill their own.
register(CensusReturn, ScopeRule(region="region", organization="organization"))
grant(
    Role.REGIONAL_OFFICER,
    *(
        f"{B}.subsidyround.{a}"
        for a in ("view", "export", "create", "change", "submit", "approve", "publish")
    ),
    *(f"{B}.censusround.{a}" for a in ("view", "export", "create", "close")),
    *(f"{B}.censusreturn.{a}" for a in ("view", "fill", "accept")),
)
grant(Role.MEMBER_STAFF, f"{B}.censusreturn.view", f"{B}.censusreturn.fill")
# Whoever submitted an allocation does not approve it (kepu.core.workflow).
four_eyes("subsidies", SubsidyRound, "approve")

# -- recognition rounds --
# A round belongs to the officers of its organizing region; once open it is public (the
# call, and later its 公示 and results). An application lies in its unit's region: the
# officers there (a county recommends its units) and above (the round's officers) see
# it, and the unit's staff (member units and societies: their sub-units too). Experts
# reach the score sheets of their rounds' region and act only on their own (object rule).
# Objections are read and answered by the round's officers.

register(RecognitionRound, ScopeRule(region="region", public=Q(status__in=PUBLIC_ROUND_STATUSES)))
register(Application, ScopeRule(region="region", organization="organization", owner="submitted_by"))
register(ScoreSheet, ScopeRule(region="application__round__region", owner="expert__user"))
register(Objection, ScopeRule(region="application__round__region"))
declare_unscoped(ApplicationMaterial, "read through its application")
declare_unscoped(Recommendation, "read through its application")
declare_unscoped(PanelMember, "read through its round")

grant(
    Role.REGIONAL_OFFICER,
    *(
        f"{B}.recognitionround.{a}"
        for a in ("view", "create", "change", "advance", "check", "panel", "publicize", "name")
    ),
    *(
        f"{B}.application.{a}"
        for a in ("view", "export", "create", "withdraw", "recommend", "check")
    ),
    f"{B}.scoresheet.view",
    f"{B}.scoresheet.record",
    f"{B}.objection.view",
    f"{B}.objection.answer",
)
grant(
    Role.MEMBER_STAFF,
    f"{B}.recognitionround.view",
    *(f"{B}.application.{a}" for a in ("view", "create", "withdraw", "recommend")),
)
grant(Role.REVIEWER, f"{B}.scoresheet.view", f"{B}.scoresheet.score")


@object_rule(Application, "recommend", exclude=lambda user: Q(submitted_by=user))
def not_ones_own_application(app, user):
    """Whoever filed an application for a unit does not also recommend it."""
    if app.submitted_by_id is not None and app.submitted_by_id == getattr(user, "pk", None):
        return _("You filed this application yourself; another body must recommend it.")
    return None


@object_rule(Application, "check", exclude=lambda user: Q(recommendation__by=user))
def not_ones_own_recommendation(app, user):
    """Four-eyes: whoever recommended an application does not do its formal check."""
    rec = getattr(app, "recommendation", None)
    if rec is not None and rec.by_id is not None and rec.by_id == getattr(user, "pk", None):
        return _("You recommended this application; another officer does its formal check.")
    return None


@object_rule(ScoreSheet, "score", exclude=lambda user: ~Q(expert__user=user))
def only_the_expert_scores(sheet, user):
    if sheet.expert.user_id != getattr(user, "pk", None):
        return _("Only the expert of this score sheet scores it.")
    return None


@object_rule(ScoreSheet, "record", exclude=lambda user: Q(expert__user__isnull=False))
def only_paper_sheets_recorded(sheet, user):
    if sheet.expert.user_id is not None:
        return _("This expert has an account and scores online.")
    return None


# -- annual reports and evaluation --
# Reports, spot checks, results and rectification orders carry copies of their base's
# region and unit: the officers of the region (and above) act on them, the unit's staff
# file their own report and rectification report and read their results.

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
