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
