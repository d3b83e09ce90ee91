"""Named reads of the bases app."""

from kepu.bases import choices as c
from kepu.core.querysets import ScopedQuerySet


class BaseQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("organization", "region", "place")

    def for_list(self):
        """What a row of the back-office list shows (its unit and region by name), without
        the wide catalog place and the free texts."""
        return self.select_related("organization", "region").only(
            "name", "level", "category", "status", "number", "valid_from", "valid_to",
            "region_id", "organization_id", "organization__name", "region__name",
        )  # fmt: skip

    def listed(self):
        """Bases that count: active, warned or under rectification."""
        return self.filter(status__in=c.LISTED_STATUSES)

    def at_level(self, level):
        return self.filter(level=level)


class AreaQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "organization")


class EvaluationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric")


class EntryQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("evaluation", "evaluation__rubric", "area", "area__region")
