"""Scope, grants and object rules of the assessment of regions and member units.

A round belongs to the assessing region's officers; the assessed read it (`reach`: a
round with an entry in their region or a region within it, or of their unit) and act on
their own entry only (self-assessment). An entry is scoped by where its subject lies and
by its unit, so a city sees its own entry of the province's round but never another
city's. Scoring and confirming are the assessing region's (the round's `score` right,
which reach never opens); four-eyes: the scorer never filed the self-assessment, the
confirming officer never scored it."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, grant, object_rule, region_q, register
from kepu.plans.models import AssessmentEntry, AssessmentEvidence, AssessmentRound


def _assessed_rounds(regions):
    return Q(
        pk__in=AssessmentEntry.objects.filter(region_q("region_id", regions)).values("round_id")
    )


register(
    AssessmentRound,
    ScopeRule(
        region="region",
        organization="entries__organization",
        public=Q(status="published", is_public=True),
        reach=_assessed_rounds,
    ),
)
register(AssessmentEntry, ScopeRule(region="region", organization="organization"))
register(AssessmentEvidence, ScopeRule(region="entry__region", organization="entry__organization"))

R, E = "plans.assessmentround", "plans.assessmententry"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{R}.{a}" for a in ("view", "create", "score", "publish", "export")),
    *(f"{E}.{a}" for a in ("view", "self_assess", "score", "confirm")),
    "plans.assessmentevidence.view",
)
grant(
    Role.MEMBER_STAFF,
    f"{R}.view",
    f"{E}.view",
    f"{E}.self_assess",
    "plans.assessmentevidence.view",
)


def is_assessor(user, entry) -> bool:
    """The user may score in the entry's round (an officer of the assessing region or
    above; reading the round through its reach is not enough)."""
    return scope.visible_to(
        user, AssessmentRound.objects.filter(pk=entry.round_id), "score"
    ).exists()


@object_rule(AssessmentEntry, "self_assess")
def assessed_files_it(entry, user):
    if is_assessor(user, entry):
        return _("The assessed region or unit files its own self-assessment.")
    return None


@object_rule(AssessmentEntry, "score", exclude=lambda user: Q(self_submitted_by=user))
def scorer_did_not_file_it(entry, user):
    if entry.self_submitted_by_id == user.pk:
        return _("You cannot score a self-assessment you filed.")
    if not is_assessor(user, entry):
        return _("Only the officers of the assessing region score.")
    return None


@object_rule(
    AssessmentEntry,
    "confirm",
    exclude=lambda user: Q(scored_by=user) | Q(self_submitted_by=user),
)
def second_officer_confirms(entry, user):
    if entry.scored_by_id == user.pk:
        return _("A second officer confirms the score: you scored it.")
    if entry.self_submitted_by_id == user.pk:
        return _("You cannot confirm a score of a self-assessment you filed.")
    if not is_assessor(user, entry):
        return _("Only the officers of the assessing region confirm scores.")
    return None
