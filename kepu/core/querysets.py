"""Named read methods of the core models."""

from django.db import models


def subtree_bounds(path: str) -> tuple[str, str]:
    """Half-open range [low, high) of materialized paths inside the subtree at `path`.

    Paths are codes joined by "/" and ending in "/" (e.g. "51/5101/"). Every path below
    starts with `path`; since "/" sorts just before "0", they are exactly the strings in
    [path, path[:-1] + "0"). A range (unlike LIKE) uses a plain B-tree index on every
    database, so a subtree is one indexed range scan.
    """
    return path, path[:-1] + "0"


class ScopedQuerySet(models.QuerySet):
    """Base of every scoped model's queryset: reads go through `visible_to`."""

    def visible_to(self, user, action: str = "view"):
        from kepu.core.scope import visible_to

        return visible_to(user, self, action)


class RegionQuerySet(models.QuerySet):
    def subtree(self, region, *, include_self: bool = True):
        low, high = subtree_bounds(region.path)
        qs = self.filter(path__gte=low, path__lt=high)
        return qs if include_self else qs.exclude(pk=region.pk)

    def subtree_of_paths(self, paths):
        """Regions in any of the subtrees rooted at `paths` (one OR of indexed ranges)."""
        q = models.Q(pk__in=[])
        for path in paths:
            low, high = subtree_bounds(path)
            q |= models.Q(path__gte=low, path__lt=high)
        return self.filter(q)

    def at_level(self, level):
        return self.filter(level=level)

    def roots(self):
        return self.filter(parent__isnull=True)


class OrganizationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "parent")

    def in_list_order(self):
        """The lists' order: by type, then name — the (org_type, name) index serves it, so
        a page is an index walk, not a sort of every organization in scope."""
        return self.order_by("org_type", "name", "pk")

    def in_region(self, region):
        low, high = subtree_bounds(region.path)
        return self.filter(region__path__gte=low, region__path__lt=high)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from kepu.core.scope import visible_to

        return visible_to(user, self, action)

    def with_relations(self):
        return self.select_related("region", "organization").prefetch_related(
            "role_assignments__region", "role_assignments__organization"
        )


class AuditQuerySet(models.QuerySet):
    """Append-only: the bulk update and delete paths are closed."""

    def visible_to(self, user, action: str = "view"):
        from kepu.core.scope import visible_to

        return visible_to(user, self, action)

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only")

    def delete(self):
        raise TypeError("Audit entries are append-only")

    def bulk_create(self, objs, *args, **kwargs):
        """Insert new entries, linked into the hash chain in the order given."""
        from kepu.core import auditchain

        objs = list(objs)
        insert = super().bulk_create
        return auditchain.link(objs, lambda: insert(objs, *args, **kwargs), using=self.db)

    def purge_before(self, cutoff) -> int:
        """Delete expired entries, a prefix of the chain (`auditchain.purge_before`; the
        database refuses younger rows and rows after the purge record)."""
        from kepu.core import auditchain

        return auditchain.purge_before(cutoff, using=self.db)


class ImportJobQuerySet(ScopedQuerySet):
    pass


class JobQuerySet(ScopedQuerySet):
    pass
