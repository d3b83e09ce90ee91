"""Named read methods of activities and sign-ups."""

from django.db.models import Exists, OuterRef, Q

from kepu.activities.choices import ActivityStatus, SignUpStatus
from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet


class ActivityQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=ActivityStatus.PUBLISHED)

    def upcoming(self):
        return self.filter(ends_at__gte=clock.now())

    def with_relations(self):
        return self.select_related(
            "region", "organization", "campaign", "facility", "report"
        ).prefetch_related("tags")

    def report_overdue(self, today=None):
        """Published, due date passed, no report filed."""
        from kepu.activities.models import ActivityReport

        today = today or clock.today()
        return self.published().filter(
            ~Exists(ActivityReport.objects.filter(activity=OuterRef("pk"))),
            report_due__lt=today,
        )

    def tagged(self, kind, code):
        return self.filter(tags__kind=kind, tags__code=code)

    def overlapping(self, starts_at, ends_at):
        return self.filter(Q(starts_at__lt=ends_at) & Q(ends_at__gt=starts_at))


class SignUpQuerySet(ScopedQuerySet):
    def live(self):
        return self.exclude(status=SignUpStatus.CANCELLED)
