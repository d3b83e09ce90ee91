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
