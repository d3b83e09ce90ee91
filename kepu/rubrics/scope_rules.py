"""How rubrics are scoped: a rubric belongs to the officers of its region; the officers of
the regions below it read it (a province's rubric is used by its cities' evaluations)."""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, register
from kepu.rubrics.models import Criterion, Rubric


def _ancestors(regions):
    """Rubrics of the regions above `regions` (their paths' prefixes)."""
    prefixes = set()
    for region in regions:
        parts = region.path.split("/")[:-1]
        prefixes.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1))
    return Q(region__path__in=sorted(prefixes)) if prefixes else Q(pk__in=[])


register(Rubric, ScopeRule(region="region", reach=_ancestors))
declare_unscoped(Criterion, "read through its rubric")

grant(
    Role.REGIONAL_OFFICER,
    *(f"rubrics.rubric.{a}" for a in ("view", "export", "create", "change", "activate", "copy")),
)
