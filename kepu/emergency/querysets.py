"""Named read methods of the emergency app."""

from kepu.core.querysets import ScopedQuerySet
from kepu.core.search import search as search_rows
from kepu.emergency import choices as c


class IncidentQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "activated_by", "closed_by")

    def open(self):
        return self.filter(status__in=c.OPEN_STATUSES)

    def real(self):
        """Incidents that count in statistics (drills are left out)."""
        return self.filter(is_drill=False)

    def newest_first(self):
        return self.order_by("-activated_at", "-pk")


class MemberQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related(
            "incident", "incident__region", "person", "pool", "person__region"
        )

    def busy(self):
        """Invited or accepted members of open incidents: an expert's current load."""
        return self.filter(status__in=c.BUSY_STATUSES, incident__status__in=c.OPEN_STATUSES)


class PushQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("incident", "incident__region", "created_by")


class DeliveryQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("push", "incident", "region")

    def waiting(self):
        return self.filter(acknowledged_at__isnull=True)


RUMOR_SEARCH_FIELDS = ["claim"]
REBUTTAL_SEARCH_FIELDS = ["title", "body"]


class RumorQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("incident", "region", "reported_by")

    def real(self):
        return self.filter(is_drill=False)

    def search(self, query: str):
        return search_rows(self, query, fields=RUMOR_SEARCH_FIELDS)


class RebuttalQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("rumor", "incident", "region")

    def published(self):
        return self.filter(status=c.RebuttalStatus.PUBLISHED)

    def public(self):
        """Published rebuttals of real incidents and of normal times (the library)."""
        return self.published().filter(is_drill=False)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def search(self, query: str):
        return search_rows(self, query, fields=REBUTTAL_SEARCH_FIELDS)
