from django.db import connection
from django.db.models import BooleanField, Exists, Func, OuterRef, Q, Value

from kepu.core.querysets import ScopedQuerySet
from kepu.core.search import bigrams, query_terms, search
from kepu.people.choices import RegistrationStatus


class PersonQuerySet(ScopedQuerySet):
    def live(self):
        """Not erased."""
        return self.filter(erased_at__isnull=True)

    def with_relations(self):
        return self.select_related("region", "organization").prefetch_related("registrations")

    def holding(self, kind, *, certified_only=True):
        """People with a registration of `kind` (certified, or also pending): EXISTS, so
        that no join repeats a row and no DISTINCT sorts the whole list."""
        from kepu.people.models import Registration

        statuses = [RegistrationStatus.CERTIFIED]
        if not certified_only:
            statuses.append(RegistrationStatus.PENDING)
        registrations = Registration.objects.filter(
            person=OuterRef("pk"), kind=kind, status__in=statuses
        )
        return self.filter(Exists(registrations))

    def matching(self, query: str):
        """Rows whose name, specialties, title or organization contains every term of
        `query` (the `icontains` reference, see `kepu.core.search`). On PostgreSQL each
        term is a phrase of bigrams matched against the stored `search_vector` column
        (generated from `search_text`, with its own GIN index): a rare term is read from
        the index, a frequent one is checked row by row while the list's name index is
        walked in order, without recomputing any vector."""
        terms = query_terms(query)
        if connection.vendor != "postgresql" or any(len(term) < 2 for term in terms):
            return search(self, query, fields=self.model.SEARCH_FIELDS)
        queryset = self
        column = f'"{self.model._meta.db_table}"."search_vector"'
        for term in terms:
            condition = Func(
                Value(" ".join(bigrams(term))),
                template=f"{column} @@ phraseto_tsquery('simple', %(expressions)s)",
                output_field=BooleanField(),
            )
            queryset = queryset.filter(condition)
        return queryset


class RegistrationQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status=RegistrationStatus.PENDING)

    def with_relations(self):
        return self.select_related("person", "region", "organization", "reviewed_by")


class PoolQuerySet(ScopedQuerySet):
    pass


class MembershipQuerySet(ScopedQuerySet):
    def available_on(self, day):
        return self.filter(available=True, term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def with_relations(self):
        return self.select_related("pool", "person", "person__region").prefetch_related("topics")


class TeamQuerySet(ScopedQuerySet):
    def with_relations(self):
        """With region, organization and leader; `member_count` is a stored column."""
        return self.select_related("region", "organization", "leader")


# --- training as a process ------------------------------------------------------------


class CourseQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "organization")


class TrainingBaseQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "organization")


class SessionQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("course", "region", "base")


class EnrolmentQuerySet(ScopedQuerySet):
    def live(self):
        from kepu.people.choices import LIVE_ENROLMENT

        return self.filter(status__in=LIVE_ENROLMENT)

    def with_relations(self):
        return self.select_related("person", "session", "session__course", "region")
