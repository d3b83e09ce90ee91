"""How the rows of calls, entries, reviews and projects are scoped.

- A call belongs to the officers of its organizing region; the officers below read it
  (they nominate into it); once open it is public (the notice, its 公示 and results).
- An entry lies in its nominee's region and unit: the officers there and above (the
  call's organizers) see it, the unit's staff see their unit's, whoever filed it sees it.
- A review lies with the officers of the call's region; the reviewer sees and scores only
  their own (object rule).
- A project lies in its unit's region and unit: the officers there and above manage it,
  the unit's staff report on it.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

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
from kepu.selections.choices import PUBLIC_CALL_STATUSES
from kepu.selections.models import (
    BudgetLine,
    Call,
    Disbursement,
    DisciplinaryFlag,
    Entry,
    EntryMaterial,
    EntryMember,
    Milestone,
    Objection,
    PanelSeat,
    PanelVote,
    PerformanceTarget,
    Project,
    ProjectCheck,
    ProjectOutput,
    Relationship,
    Review,
)

S = "selections"

register(
    Call,
    ScopeRule(region="region", public=Q(status__in=PUBLIC_CALL_STATUSES), reach=ancestors_reach()),
)
register(Entry, ScopeRule(region="region", organization="organization", owner="submitted_by"))
register(Review, ScopeRule(region="entry__call__region", owner="reviewer__user"))
register(Objection, ScopeRule(region="entry__call__region"))
register(DisciplinaryFlag, ScopeRule(region="region"))
register(Relationship, ScopeRule(region="region", owner="expert__user"))
register(Project, ScopeRule(region="region", organization="organization"))
register(ProjectCheck, ScopeRule(region="project__region"))
declare_unscoped(EntryMaterial, "read through its entry")
declare_unscoped(EntryMember, "read through its entry")
declare_unscoped(PanelSeat, "read through its call")
declare_unscoped(PanelVote, "read through its entry")
declare_unscoped(BudgetLine, "read through its project")
declare_unscoped(Milestone, "read through its project")
declare_unscoped(PerformanceTarget, "read through its project")
declare_unscoped(Disbursement, "read through its project")
declare_unscoped(ProjectOutput, "read through its project")

grant(
    Role.REGIONAL_OFFICER,
    *(
        f"{S}.call.{a}"
        for a in (
            "view",
            "export",
            "create",
            "change",
            "advance",
            "assign",
            "rank",
            "vote",
            "publicize",
            "decide",
        )
    ),  # fmt: skip
    *(f"{S}.entry.{a}" for a in ("view", "export", "create", "withdraw", "check")),
    f"{S}.review.view",
    f"{S}.review.override",
    f"{S}.objection.view",
    f"{S}.objection.answer",
    *(f"{S}.disciplinaryflag.{a}" for a in ("view", "create", "close")),
    *(f"{S}.relationship.{a}" for a in ("view", "create")),
    *(
        f"{S}.project.{a}"
        for a in ("view", "export", "create", "change", "check", "disburse", "report")
    ),
    f"{S}.projectcheck.view",
)
grant(
    Role.MEMBER_STAFF,
    f"{S}.call.view",
    *(f"{S}.entry.{a}" for a in ("view", "create", "withdraw")),
    f"{S}.project.view",
    f"{S}.project.report",
)
grant(
    Role.REVIEWER,
    f"{S}.call.view",
    f"{S}.review.view",
    f"{S}.review.score",
    f"{S}.relationship.view",
    f"{S}.relationship.create",
)
# Self-application by a registered person with an account (a volunteer, a talent).
grant(Role.VOLUNTEER, f"{S}.entry.view", f"{S}.entry.create", f"{S}.entry.withdraw")

# Four-eyes: whoever filed or recommended an entry does not do its formal check; whoever
# entered a project (and its approved amount) does not record its payments.
four_eyes("entries", Entry, "check")
four_eyes(
    "disbursements", Project, "disburse",
    submitter=lambda project: project.created_by_id,
    submitted_by=lambda user_pk: Q(created_by=user_pk),
)  # fmt: skip


@object_rule(Review, "score", exclude=lambda user: ~Q(reviewer__user=user))
def only_the_reviewer_scores(review, user):
    if review.reviewer.user_id != getattr(user, "pk", None):
        return _("Only the reviewer assigned to this entry scores it.")
    return None


# -- results --
def _publicized_calls(user) -> Q:
    """The calls whose notice `user` started (the audit trail knows who)."""
    from kepu.core.models import AuditEntry

    ids = AuditEntry.objects.filter(
        action="selections.call.publicized", object_type="selections.call", actor=user
    ).values_list("object_id", flat=True)
    return Q(pk__in=[int(i) for i in ids if i.isdigit()])


@object_rule(Call, "decide", exclude=_publicized_calls)
def not_who_publicized(call, user):
    """Four-eyes on the decision: whoever started the 公示 does not decide the results."""
    from kepu.selections.services.results import publicized_by

    pk = getattr(user, "pk", None)
    if pk is not None and publicized_by(call) == pk:
        return _("You started this public notice; another officer must decide the results.")
    return None
