"""Counts of scoped rows by region, done in SQL (GROUP BY on a path prefix)."""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds


def counts_by_child_region(
    queryset, focus: Region, *, region_lookup="region", measures=None, aggregates=None
):
    """For each child region of `focus`: the counts of `queryset` rows in its subtree.

    `measures` maps a name to a Q (conditional count); "total" is always included;
    `aggregates` adds other aggregate expressions (e.g. Count("x", distinct=True)).
    Returns (rows, direct) where rows is [(child_region, {measure: n})] in code order and
    direct holds the counts of rows attached to `focus` itself.
    """
    measures = {"total": Q(), **(measures or {})}
    aggregates = {
        **{name: Count("pk", filter=q) if q else Count("pk") for name, q in measures.items()},
        **(aggregates or {}),
    }
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    low, high = subtree_bounds(focus.path)
    path = f"{region_lookup}__path"
    inside = queryset.filter(**{f"{path}__gte": low, f"{path}__lt": high})
    by_prefix = {}
    for length in sorted({len(c.path) for c in children}):
        rows = (
            inside.annotate(_prefix=Substr(path, 1, length))
            .values("_prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            by_prefix[row.pop("_prefix")] = row
    empty = dict.fromkeys(aggregates, 0)
    direct = inside.filter(**{region_lookup: focus}).aggregate(**aggregates)
    return [(child, by_prefix.get(child.path, empty)) for child in children], direct
