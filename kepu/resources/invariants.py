"""The states the catalog's services can produce, stated once (`kepu.core.invariants`).

Each check runs one SQL query whatever the size of the data and names at most LIMIT
violating rows. They hold on the demo (made through the services) and on the benchmark
dataset (bulk rows written by `kepu.resources.dataset`)."""

from django.db.models import Count, F, Q

from kepu.core.invariants import invariant
from kepu.resources import choices as c
from kepu.resources.models import Resource, ResourceVersion, ReviewAssignment

LIMIT = 20
RS, VS = c.ResourceStatus, c.VersionStatus
LISTED = (RS.PUBLISHED, RS.SUSPENDED)
# Versions that have passed the completeness check (and so were submitted first).
CHECKED = (VS.IN_REVIEW, VS.APPROVED, VS.SUPERSEDED)
DECIDED = (VS.APPROVED, VS.SUPERSEDED)


def _entries(queryset, sentence: str):
    for pk, title in queryset.order_by("pk").values_list("pk", "title")[:LIMIT]:
        yield sentence % {"entry": f"resource {pk} “{title}”"}


@invariant("resources")
def one_open_version_per_entry():
    """`submit_version`, `update_content` and `decide` keep at most one version of an
    entry in the workflow."""
    rows = (
        ResourceVersion.objects.filter(status__in=c.OPEN_VERSION_STATUSES)
        .values("resource_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("resource_id")[:LIMIT]
    )
    for row in rows:
        yield f"resource {row['resource_id']} has {row['n']} versions in the workflow"


@invariant("resources")
def listed_entries_carry_their_listing():
    """`decide` (publish) gives a listed entry its listing number, first publication,
    review-by date and live version; it stays with a suspended or withdrawn entry."""
    missing = Q(listing_number="") | Q(published_at__isnull=True) | Q(live_version__isnull=True)
    yield from _entries(
        Resource.objects.filter(status__in=(*LISTED, RS.WITHDRAWN)).filter(missing),
        "%(entry)s is listed (or was) without a listing number, publication or live version",
    )
    yield from _entries(
        Resource.objects.filter(status__in=LISTED, review_by__isnull=True),
        "%(entry)s is listed without a review-by date",
    )


@invariant("resources")
def unlisted_entries_were_never_published():
    """A draft or a rejected first application was never published."""
    yield from _entries(
        Resource.objects.filter(status__in=(RS.DRAFT, RS.REJECTED)).filter(
            Q(published_at__isnull=False) | ~Q(listing_number="") | Q(live_version__isnull=False)
        ),
        "%(entry)s was never published but has a listing number, publication or live version",
    )


@invariant("resources")
def the_live_version_is_the_approved_one():
    """A listed entry's live version is its one approved version (the others published
    before it are superseded)."""
    approved = (
        ResourceVersion.objects.filter(status=VS.APPROVED)
        .values("resource_id")
        .annotate(n=Count("pk"))
    )
    wrong = Resource.objects.filter(status__in=LISTED).exclude(
        pk__in=ResourceVersion.objects.filter(
            status=VS.APPROVED, number=F("resource__live_version")
        ).values("resource_id")
    )
    yield from _entries(wrong, "%(entry)s is listed but its live version is not approved")
    for row in approved.filter(n__gt=1).order_by("resource_id")[:LIMIT]:
        yield f"resource {row['resource_id']} has {row['n']} approved versions"


@invariant("resources")
def version_steps_have_their_times():
    """Each step of a version stamps its time: submitted, checked (sent to the experts),
    decided; none of them before the one it follows."""
    bad = ResourceVersion.objects.filter(
        Q(status__in=(VS.SUBMITTED, *CHECKED), submitted_at__isnull=True)
        | Q(status__in=CHECKED, checked_at__isnull=True)
        | Q(status__in=DECIDED, decided_at__isnull=True)
        | Q(checked_at__lt=F("submitted_at"))
        | Q(decided_at__lt=F("checked_at"))
    )
    for pk, resource_id, number, status in bad.order_by("pk").values_list(
        "pk", "resource_id", "number", "status"
    )[:LIMIT]:
        yield (
            f"version {number} (id {pk}) of resource {resource_id} is “{status}” without "
            "the times of its steps in order"
        )


@invariant("resources")
def reviews_are_filed_whole_and_in_time_order():
    """`file_review` sets the verdict and the filing time together, after the
    assignment; assignments exist only on versions that went to the experts; the due
    date is not before the day of the assignment."""
    bad = ReviewAssignment.objects.filter(
        Q(submitted_at__isnull=True, verdict__gt="")
        | Q(submitted_at__isnull=False, verdict="")
        | Q(submitted_at__lt=F("assigned_at"))
        | Q(version__status__in=(VS.DRAFT, VS.SUBMITTED))
        | Q(due_date__lt=F("assigned_at__date"))
    )
    for pk, version_id in bad.order_by("pk").values_list("pk", "version_id")[:LIMIT]:
        yield f"review assignment {pk} (version id {version_id}) is not a filed or open review"


@invariant("resources")
def published_versions_were_reviewed_by_every_expert():
    """`decide` publishes a version once every assigned expert has filed."""
    open_reviews = ReviewAssignment.objects.filter(
        version__status__in=DECIDED, submitted_at__isnull=True
    )
    for pk, version_id in open_reviews.order_by("pk").values_list("pk", "version_id")[:LIMIT]:
        yield f"version id {version_id} was published with review assignment {pk} not filed"


@invariant("resources")
def no_expert_reviews_their_own_application():
    """The object rule of `rules.py`: an expert does not review an entry they applied
    for (the candidates leave them out)."""
    own = ReviewAssignment.objects.filter(
        reviewer__user__isnull=False,
        reviewer__user_id=F("version__resource__created_by_id"),
    )
    for pk, version_id in own.order_by("pk").values_list("pk", "version_id")[:LIMIT]:
        yield f"review assignment {pk} (version id {version_id}) is the applicant's own"
