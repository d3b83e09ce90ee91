"""The region tree in memory: the ids of a region's subtree, for scope conditions.

A scope condition written as a subquery (`region_id = ANY(ARRAY(SELECT id FROM region
WHERE path ...))`) is opaque to PostgreSQL's planner: it estimated 148 rows where 30,095
came, and chose plans for the wrong size. The same condition with the ids written out
(`region_id IN (…)`) is estimated from the column's statistics. A region's subtree ids
are computed once per process and kept for SUBTREE_SECONDS; a change of the tree clears
this process's copy at once (signals) and reaches other workers within that time (the
tree changes only through `load_regions`, at deployment).

A subtree that is the whole tree (the only root) needs no condition on the region at all:
`subtree_ids` says so by returning None.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save

SUBTREE_SECONDS = 300
_lock = threading.Lock()
_subtrees: dict[int, tuple[float, tuple[int, ...] | None]] = {}


def subtree_ids(region) -> tuple[int, ...] | None:
    """The ids of `region` and every region below it; None when that is every region."""
    now = time.monotonic()
    hit = _subtrees.get(region.pk)
    if hit is not None and now - hit[0] < SUBTREE_SECONDS:
        return hit[1]
    from kepu.core.models import Region

    ids: tuple[int, ...] | None
    if (
        region.parent_id is None
        and not Region.objects.filter(parent__isnull=True).exclude(pk=region.pk).exists()
    ):
        ids = None
    else:
        ids = tuple(Region.objects.subtree(region).order_by("pk").values_list("pk", flat=True))
    with _lock:
        _subtrees[region.pk] = (now, ids)
    return ids


_children: dict[int, tuple[float, list]] = {}


def children(region) -> list:
    """The regions directly below `region` in code order (code and name loaded), kept
    like the subtrees: filters and pickers draw them on every list page."""
    now = time.monotonic()
    hit = _children.get(region.pk)
    if hit is not None and now - hit[0] < SUBTREE_SECONDS:
        return hit[1]
    from kepu.core.models import Region

    found = list(Region.objects.filter(parent=region).only("code", "name").order_by("code"))
    with _lock:
        _children[region.pk] = (now, found)
    return found


def forget(**_kwargs) -> None:
    with _lock:
        _subtrees.clear()
        _children.clear()


def connect_signals() -> None:
    from kepu.core.models import Region

    post_save.connect(forget, sender=Region, dispatch_uid="kepu-regiontree-save")
    post_delete.connect(forget, sender=Region, dispatch_uid="kepu-regiontree-delete")
