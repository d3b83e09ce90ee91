"""How talent-evaluation and talent-service rows are scoped, who may do what, and the
object rules (a reviewer or recommender is never the applicant or whoever filed it)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, ancestors_reach, declare_unscoped, grant, register
from kepu.people.models import (
    ApplicationItem,
    ApplicationScore,
    EvaluationRound,
    HighLevelTalent,
    ServiceRecord,
    TalentApplication,
)
from kepu.people.talents.choices import RoundStatus

# A round's call is public once opened (its name, window and eligibility are no personal
# data); officers below its region read it to file into it (ancestors' reach).
register(
    EvaluationRound,
    ScopeRule(region="region", reach=ancestors_reach(), public=~Q(status=RoundStatus.DRAFT)),
)
register(
    TalentApplication,
    ScopeRule(region="region", organization="organization", owner="person__user"),
)
declare_unscoped(ApplicationItem, "an application's self-declared items: read through it")
declare_unscoped(ApplicationScore, "an application's score sheets: read through it")
register(HighLevelTalent, ScopeRule(region="region"))
register(ServiceRecord, ScopeRule(region="talent__region"))

R, A = "people.evaluationround", "people.talentapplication"
T, S = "people.highleveltalent", "people.servicerecord"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{R}.{a}" for a in ("view", "create", "change", "publish")),
    *(f"{A}.{a}" for a in ("view", "create", "change", "recommend", "score", "export")),
    *(f"{T}.{a}" for a in ("view", "create", "change", "export")),
    f"{S}.view",
    f"{S}.create",
)
# A unit's staff file applications for their people and recommend them (the unit step).
grant(Role.MEMBER_STAFF, f"{R}.view", *(f"{A}.{a}" for a in ("view", "create", "recommend")))
# A registered person applies for themself (own scope).
grant(Role.VOLUNTEER, f"{R}.view", f"{A}.view", f"{A}.create", f"{A}.change")
grant(Role.REVIEWER, f"{R}.view", f"{A}.view", f"{A}.score")


def _involved(user) -> Q:
    if user.pk is None:
        return Q(pk__in=[])
    return Q(person__user=user.pk) | Q(submitted_by=user.pk)


def _own_part(application, user) -> str | None:
    if application.person.user_id is not None and application.person.user_id == user.pk:
        return _("You cannot review your own application.")
    if application.submitted_by_id is not None and application.submitted_by_id == user.pk:
        return _("You filed this application; another officer must review it.")
    return None


@scope.object_rule(TalentApplication, "recommend", exclude=_involved)
def not_ones_own_recommendation(application, user):
    """Four-eyes: the applicant or the officer who filed it does not recommend it."""
    return _own_part(application, user)


@scope.object_rule(
    TalentApplication,
    "score",
    exclude=lambda user: (
        _involved(user) | Q(recommended_by=user.pk) if user.pk is not None else Q(pk__in=[])
    ),
)
def not_ones_own_score(application, user):
    """Four-eyes: the applicant, the filer and the unit's recommender do not score it."""
    reason = _own_part(application, user)
    if reason:
        return reason
    if application.recommended_by_id is not None and application.recommended_by_id == user.pk:
        return _("You recommended this application; another reviewer must score it.")
    return None
