"""Named read methods of catalog entries and their versions."""

import datetime

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.resources import choices as c


class ResourceQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=c.ResourceStatus.PUBLISHED)

    def with_relations(self):
        return self.select_related("region", "organization").prefetch_related("tags")

    def tagged(self, kind, code):
        return self.filter(tags__kind=kind, tags__code=code)

    def in_stage(self, stage):
        """Entries whose open version is at `stage` (a VersionStatus)."""
        return self.filter(versions__status=stage)

    def review_due(self, within_days=0, today=None):
        """Published entries whose review-by date falls within `within_days` from today
        (or has passed)."""
        today = today or clock.today()
        return self.published().filter(review_by__lte=today + datetime.timedelta(days=within_days))

    def places_on_map(self):
        return self.published().filter(latitude__isnull=False, longitude__isnull=False)


class VersionQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=c.OPEN_VERSION_STATUSES)
