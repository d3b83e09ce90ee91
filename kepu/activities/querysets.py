"""Named read methods of activities and sign-ups."""

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, Min, OuterRef, Q, Value

from kepu.activities.choices import ActivityStatus, SignUpStatus
from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.core.search import bigrams, query_terms
from kepu.core.search import search as search_rows

SEARCH_FIELDS = ["title", "organization__name", "brand", "address"]


class _VectorMatch(Func):
    """`search_vector @@ phraseto_tsquery('simple', tokens)` on the stored column of
    migration 0004 (PostgreSQL), under whatever alias the query gives the table: the
    column is found by compiling `search_text` and naming its stored vector instead."""

    output_field = BooleanField()

    def __init__(self, tokens: str):
        super().__init__(F("search_text"), Value(tokens))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        vector = column[: -len('"search_text"')] + '"search_vector"'
        tokens, token_params = compiler.compile(self.source_expressions[1])
        return f"({vector} @@ phraseto_tsquery('simple', {tokens}))", (*params, *token_params)


class ActivityQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=ActivityStatus.PUBLISHED)

    def upcoming(self):
        """Published and not yet over. In start order, the upcoming events come after all
        the past ones (160,000 at province scale), which the planner cannot foresee from
        `ends_at`; so the start of the earliest published event still running (an
        index-only read of the (status, ends_at) index) bounds the walk of the
        start-order index. Exact: every published row with ends_at ≥ now starts at or
        after that bound.

        The minimum is grouped by status on purpose: a plain MIN lets PostgreSQL rewrite
        it as "the first row in start order whose ends_at ≥ now", a walk over every past
        event (0.38 s at province scale); grouped, it is the index-only read (1.4 ms)."""
        now = clock.now()
        queryset = self.filter(status=ActivityStatus.PUBLISHED, ends_at__gte=now)
        row = (
            self.model.objects.filter(status=ActivityStatus.PUBLISHED, ends_at__gte=now)
            .order_by()
            .values("status")
            .annotate(first=Min("starts_at"))
            .values_list("first", flat=True)
        )
        first = next(iter(row), None)
        if first is None:
            return queryset.none()
        return queryset.filter(starts_at__gte=first)

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

    def search(self, query: str):
        """Rows in which, for every term of `query`, the title, organizer, brand or
        address contains the term (the `icontains` semantics of `core.search`). On
        PostgreSQL through the stored vector (its statistics let the planner walk the
        list's sort index for a frequent term instead of collecting every match)."""
        terms = query_terms(query)
        if connection.vendor != "postgresql" or any(len(t) < 2 for t in terms):
            return search_rows(self, query, fields=SEARCH_FIELDS)
        queryset = self
        for term in terms:
            queryset = queryset.filter(_VectorMatch(" ".join(bigrams(term))))
        return queryset

    def tagged(self, kind, code):
        return self.filter(tags__kind=kind, tags__code=code)

    def overlapping(self, starts_at, ends_at):
        return self.filter(Q(starts_at__lt=ends_at) & Q(ends_at__gt=starts_at))


class SignUpQuerySet(ScopedQuerySet):
    def live(self):
        return self.exclude(status=SignUpStatus.CANCELLED)
