"""The catalog's map marks the places that are listed bases with the base's level (a
base's place is a catalog place: one point, not two)."""

from django.utils.translation import gettext as _

from kepu.bases import choices as c
from kepu.bases.models import Base
from kepu.resources.views import public as catalog

RANK = {level: i for i, level in enumerate(c.BaseLevel.values)}  # national first


def mark_bases(place_ids) -> dict[int, str]:
    """{place id: "Provincial science-education base"} for the places among `place_ids`
    that are listed bases (the highest level when a unit holds several)."""
    best: dict[int, str] = {}
    rows = Base.objects.listed().filter(place_id__in=list(place_ids))
    for place, level in rows.values_list("place_id", "level").order_by():
        if place not in best or RANK[level] < RANK[best[place]]:
            best[place] = level
    return {
        place: _("%(level)s science-education base") % {"level": c.BaseLevel(level).label}
        for place, level in best.items()
    }


if mark_bases not in catalog.POINT_MARKERS:
    catalog.POINT_MARKERS.append(mark_bases)
