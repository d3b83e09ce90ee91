"""How the rows of knowledge contests are scoped.

- A contest and its rounds belong to the officers of the organizing region; the officers
  below read them (they mobilize their residents and follow their own participation); a
  published contest and its rounds are public.
- A participant, an attempt and a standing lie in the participant's region: a county's
  officers see their own residents, the organizers above see all. Participants' names
  and phones are personal information: masked in lists, the phone decrypted only on the
  organizer's access-logged reveal.
- Prize lists, prizes and certificates are read through their round.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import (
    Attempt,
    Certificate,
    Contest,
    ContestRound,
    Participant,
    Prize,
    PrizeList,
    PrizeObjection,
    RoundItem,
    Standing,
)
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

S = "contests"

register(
    Contest,
    ScopeRule(region="region", reach=ancestors_reach(),
              public=Q(status__in=c.PUBLIC_CONTEST_STATUSES)),
)  # fmt: skip
register(
    ContestRound,
    ScopeRule(region="contest__region", reach=ancestors_reach("contest__region"),
              public=Q(contest__status__in=c.PUBLIC_CONTEST_STATUSES)),
)  # fmt: skip
register(Participant, ScopeRule(region="region"))
register(Attempt, ScopeRule(region="region"))
register(Standing, ScopeRule(region="region"))
register(
    PrizeList,
    ScopeRule(region="round__contest__region", reach=ancestors_reach("round__contest__region")),
)
register(PrizeObjection, ScopeRule(region="prize__prize_list__round__contest__region"))
declare_unscoped(RoundItem, "read through its round")
declare_unscoped(Prize, "read through its prize list")
declare_unscoped(Certificate, "read through its round; verified publicly by its code")

grant(
    Role.REGIONAL_OFFICER,
    *(f"{S}.contest.{a}" for a in ("view", "create", "change", "publish", "export")),
    *(f"{S}.contestround.{a}" for a in ("view", "create", "change", "draw", "open", "close",
                                        "publish", "advance", "export")),
    *(f"{S}.participant.{a}" for a in ("view", "export", "reveal")),
    *(f"{S}.attempt.{a}" for a in ("view", "export", "exclude")),
    f"{S}.standing.view",
    *(f"{S}.prizelist.{a}" for a in ("view", "create", "change", "finalize")),
    *(f"{S}.prizeobjection.{a}" for a in ("view", "answer")),
)  # fmt: skip

ORGANIZER_ACTIONS = ("change", "publish", "export")
ROUND_ORGANIZER_ACTIONS = ("change", "draw", "open", "close", "publish", "advance", "export")


def _organizes(user, region_id) -> bool:
    from kepu.core.scope import allowed_regions

    return allowed_regions(user, Contest, "change").filter(pk=region_id).exists()


@object_rule(Contest, *ORGANIZER_ACTIONS)
def contest_organizers_only(contest, user):
    if not _organizes(user, contest.region_id):
        return _("Only the officers of the organizing region run the contest.")
    return None


@object_rule(ContestRound, *ROUND_ORGANIZER_ACTIONS)
def round_organizers_only(round_, user):
    if not _organizes(user, round_.contest.region_id):
        return _("Only the officers of the organizing region run the contest.")
    return None


# -- rankings, prizes, certificates and reports --
# Four-eyes: the officer who closed a round does not publish its results; the officer who
# drafted a prize list does not make it final.
four_eyes(
    "contest_results", ContestRound, "publish",
    submitter=lambda round_: round_.closed_by_id,
    submitted_by=lambda user_pk: Q(closed_by=user_pk),
)  # fmt: skip
four_eyes(
    "contest_prizes", PrizeList, "finalize",
    submitter=lambda plist: plist.drafted_by_id,
    submitted_by=lambda user_pk: Q(drafted_by=user_pk),
)  # fmt: skip
