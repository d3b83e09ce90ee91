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

# -- mid-term evaluation of demonstration areas --
from kepu.bases.models import (  # noqa: E402
    DemonstrationArea,
    MidtermEntry,
    MidtermEvaluation,
    MidtermScoresheet,
)
from kepu.core.scope import declare_unscoped  # noqa: E402

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
from kepu.bases.models import CensusReturn, CensusRound, SubsidyLine, SubsidyRound  # noqa: E402
from kepu.core.scope import declare_unscoped  # noqa: E402
from kepu.core.workflow import four_eyes  # noqa: E402

register(SubsidyRound, ScopeRule(region="region"))
declare_unscoped(SubsidyLine, "read through its subsidy round")


def _census_above(regions):
    """A census of a region above the user's (the province's) is read by the officers
    below, who file and check their part of it: the rounds of their regions' ancestors."""
    from kepu.core.models import Region

    codes = {code for region in regions for code in region.path.split("/") if code}
    return Q(region_id__in=Region.objects.filter(code__in=codes).values("pk"))


register(CensusRound, ScopeRule(region="region", reach=_census_above))
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
