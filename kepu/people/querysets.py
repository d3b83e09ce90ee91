from django.db.models import Count, Q

from kepu.core.querysets import ScopedQuerySet
from kepu.people.choices import RegistrationStatus


class PersonQuerySet(ScopedQuerySet):
    def live(self):
        """Not erased."""
        return self.filter(erased_at__isnull=True)

    def with_relations(self):
        return self.select_related("region", "organization").prefetch_related("registrations")

    def holding(self, kind, *, certified_only=True):
        statuses = [RegistrationStatus.CERTIFIED]
        if not certified_only:
            statuses.append(RegistrationStatus.PENDING)
        return self.filter(registrations__kind=kind, registrations__status__in=statuses)


class RegistrationQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status=RegistrationStatus.PENDING)

    def with_relations(self):
        return self.select_related("person", "region", "organization", "reviewed_by")


class PoolQuerySet(ScopedQuerySet):
    def with_counts(self):
        return self.annotate(member_count=Count("memberships", distinct=True)).order_by(
            "region__code", "kind", "name"
        )


class MembershipQuerySet(ScopedQuerySet):
    def available_on(self, day):
        return self.filter(available=True, term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def with_relations(self):
        return self.select_related("pool", "person", "person__region").prefetch_related("topics")


class TeamQuerySet(ScopedQuerySet):
    def with_counts(self):
        return (
            self.select_related("region", "organization", "leader")
            .annotate(member_count=Count("memberships", distinct=True))
            .order_by("region__code", "name")
        )
