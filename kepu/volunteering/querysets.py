from django.db import models
from django.db.models import Q, Sum

from kepu.core import clock
from kepu.volunteering import choices as c


class ServiceOrderQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related(
            "region", "department", "team", "team__leader", "escalated_to", "requester_user"
        )

    def open(self):
        return self.filter(status__in=c.OPEN_STATUSES)

    def overdue(self, now=None):
        """Orders past their dispatch or acceptance deadline."""
        now = now or clock.now()
        return self.filter(
            Q(status__in=c.WAITING_DISPATCH, dispatch_due__lt=now)
            | Q(status__in=c.WAITING_ACCEPT, accept_due__lt=now)
        )


class HourEntryQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=c.HourStatus.APPROVED)

    def live(self):
        """Entries that occupy the volunteer's time (pending or approved)."""
        return self.exclude(status=c.HourStatus.REJECTED)

    def overlapping(self, person, start, end):
        return self.live().filter(person=person, started_at__lt=end, ended_at__gt=start)

    def total(self):
        return self.aggregate(total=Sum("hours"))["total"] or 0
