"""How emergency rows are scoped, and which role may do what with them.

An incident belongs to the officers of its responsible region (a province or a city);
the officers of an affected region *read* it (scope reach: view and export, never an
action on the incident itself), with its group and pushes, and act on what lies in their
own region: the deliveries to their recipients, the rumours circulating there. Experts
(reviewers) reach their own group invitations and rebuttal reviews (owner); a recipient
with an account (team leader, information officer) its own deliveries; member-unit staff
the deliveries to their unit. Published rebuttals of real incidents, expert answers and
incidents that are not drills are public (the incident page, the library, the feeds).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, object_rule, region_q, register
from kepu.emergency import choices as c
from kepu.emergency.models import (
    Delivery,
    DutyShift,
    ExpertAnswer,
    GroupMember,
    Incident,
    IncidentRegion,
    Push,
    ReachTally,
    Rebuttal,
    RebuttalReview,
    Rumor,
)


def affected_incidents(regions):
    """Ids of the incidents affecting `regions` (each with its subtree): one indexed
    subquery over the affected regions."""
    return IncidentRegion.objects.filter(region_q("region_id", regions)).values("incident_id")


register(
    Incident,
    ScopeRule(
        region="region",
        public=Q(is_drill=False),
        reach=lambda regions: Q(pk__in=affected_incidents(regions)),
    ),
)
register(
    GroupMember,
    ScopeRule(
        region="incident__region",
        owner="person__user",
        reach=lambda regions: Q(incident_id__in=affected_incidents(regions)),
    ),
)
register(
    Push,
    ScopeRule(
        region="incident__region",
        reach=lambda regions: Q(incident_id__in=affected_incidents(regions)),
    ),
)
register(Delivery, ScopeRule(region="region", organization="organization", owner="user"))
register(Rumor, ScopeRule(region="region", owner="reported_by"))
register(
    Rebuttal,
    ScopeRule(region="region", public=Q(status=c.RebuttalStatus.PUBLISHED, is_drill=False)),
)
register(RebuttalReview, ScopeRule(region="rebuttal__region", owner="person__user"))
register(ExpertAnswer, ScopeRule(region="incident__region", public=Q(incident__is_drill=False)))
declare_unscoped(IncidentRegion, "read through its incident")
declare_unscoped(DutyShift, "read through its group member")
declare_unscoped(ReachTally, "read through its incident (the reach statistics)")

E = "emergency"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{E}.incident.{a}" for a in ("view", "export", "create", "change", "close")),
    *(f"{E}.groupmember.{a}" for a in ("view", "invite", "withdraw", "record", "schedule")),
    *(f"{E}.push.{a}" for a in ("view", "create")),
    *(f"{E}.delivery.{a}" for a in ("view", "export", "record")),
    *(f"{E}.rumor.{a}" for a in ("view", "export", "create", "triage")),
    *(f"{E}.rebuttal.{a}" for a in ("view", "create", "change", "submit", "publish", "withdraw")),
    f"{E}.rebuttalreview.view",
    *(f"{E}.expertanswer.{a}" for a in ("view", "create")),
)
grant(
    Role.REVIEWER,
    f"{E}.groupmember.view",
    f"{E}.groupmember.respond",
    f"{E}.rebuttalreview.view",
    f"{E}.rebuttalreview.decide",
)
grant(Role.VOLUNTEER, f"{E}.delivery.view", f"{E}.delivery.acknowledge", f"{E}.rumor.create")
grant(Role.MEMBER_STAFF, f"{E}.delivery.view", f"{E}.delivery.acknowledge")


@object_rule(GroupMember, "respond", exclude=lambda user: ~Q(person__user=user))
def only_the_expert_answers(member, user):
    if member.person.user_id != getattr(user, "pk", None):
        return _("Only the invited expert answers this invitation.")
    return None


@object_rule(RebuttalReview, "decide", exclude=lambda user: ~Q(person__user=user))
def only_the_reviewer_decides(review, user):
    if review.person.user_id != getattr(user, "pk", None):
        return _("Only the expert asked for this review decides on it.")
    return None


@object_rule(
    Delivery, "acknowledge", exclude=lambda user: ~Q(user=user) & ~Q(organization__isnull=False)
)
def only_the_recipient_acknowledges(delivery, user):
    if delivery.user_id is not None and delivery.user_id == getattr(user, "pk", None):
        return None
    if delivery.organization_id is not None and delivery.user_id is None:
        return None  # a member unit's delivery: its staff (scope) acknowledge for it
    return _("Only the recipient acknowledges this message.")
