"""The back-office catalog list with its status counts and Excel export, and the
officer's listing queue. Every read goes through the scope (`visible_to` /
`scope.actionable`)."""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import exports, rollups, scope
from kepu.core.choices import ROLE_SCOPE, ScopeKind
from kepu.core.excel import Column
from kepu.core.models import Organization, Region
from kepu.core.querysets import subtree_bounds
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
)
from kepu.core.widgets import RegionCascadeWidget
from kepu.resources import choices as c
from kepu.resources.filters import DUE_SOON_DAYS, ResourceFilter
from kepu.resources.forms import applicant_regions
from kepu.resources.models import Resource, ResourceTag, ResourceVersion, ReviewAssignment
from kepu.resources.rollups import COUNTED_LEVEL, ENTRIES
from kepu.resources.services.review import urgent_hazards

QUEUE_ROWS = 50
# The list filters folded away on a phone unless one is in use.
MORE_FILTERS = ("region", "owner", "group", "topic", "hazard", "emergency", "due")
STAGE_LABELS = dict(c.VersionStatus.choices)


# --- the list and the export ------------------------------------------------------------


def _region_roots(user):
    return scope_roots(user) or applicant_regions(user)


def _filtered(request, data=None, action="view"):
    user = request.user
    queryset = visible_to(user, Resource.objects.with_relations(), action, public=False)
    filterset = ResourceFilter(
        (request.GET if data is None else data) or None, queryset=queryset, request=request
    )
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=_region_roots(user), empty_label=_("All")
    )
    return filterset


def _with_stage(queryset):
    """Each entry with the status of its open version (`stage`), if it has one."""
    open_version = ResourceVersion.objects.filter(
        resource=OuterRef("pk"), status__in=c.OPEN_VERSION_STATUSES
    )
    return queryset.annotate(
        stage=Subquery(open_version.values("status")[:1]),
    )


def _add_stage(rows):
    """`_with_stage` for the rows of one page (one query, after the page is cut: the
    count and the keyset walk need no subqueries)."""
    found = {
        resource_id: status
        for resource_id, status in ResourceVersion.objects.filter(
            resource_id__in=[r.pk for r in rows], status__in=c.OPEN_VERSION_STATUSES
        ).values_list("resource_id", "status")
    }
    for resource in rows:
        resource.stage = found.get(resource.pk)
    return rows


def _label_rows(rows):
    today = timezone.localdate()
    # One reverse for the page: the rows' links differ only in the id.
    detail = reverse("resources:resource_detail", args=[0]).replace("/0/", "/{}/")
    for resource in rows:
        resource.url = detail.format(resource.pk)
        resource.stage_label = STAGE_LABELS.get(getattr(resource, "stage", None), "")
        resource.due_soon = (
            resource.status == c.ResourceStatus.PUBLISHED
            and resource.review_by is not None
            and today <= resource.review_by <= today + timezone.timedelta(days=DUE_SOON_DAYS)
        )
    return rows


def _status_counts(request, filterset):
    """Entries per status under the other filters (the status filter left out), from the
    counters (`resources.entries`) when they can answer: filters on the region and the
    type only, for a user whose scope is regions. Under other filters (words, tags…) the
    tabs show no numbers: the list's own count says how many match."""
    data = request.GET.copy()
    for name in ("status", "page", "after"):
        data.pop(name, None)
    base = data.urlencode()
    counts = None
    if filter_is_usable(filterset):
        counts = _counted_statuses(request, filterset, data)
    rows = [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0) if counts is not None else None,
            "query": f"{base}&status={value}" if base else f"status={value}",
        }
        for value, label in c.ResourceStatus.choices
    ]
    return rows, sum(counts.values()) if counts is not None else None, base


def _counted_statuses(request, filterset, data) -> dict | None:
    user = request.user
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    assignments = scope.granting_assignments(user, Resource, "view")
    if not assignments or any(ROLE_SCOPE[a.role] != ScopeKind.REGION for a in assignments):
        return _raw_counts(request, data)  # units and individuals see few entries
    roots = scope_roots(user)
    region = None
    if cleaned.get("region"):
        region = Region.objects.filter(code=cleaned["region"]).first()
        inside = region is not None and any(region.path.startswith(r.path) for r in roots)
        if not inside or region.level > COUNTED_LEVEL:
            return _raw_counts(request, data)  # a town's entries, or few (outside the scope)
        roots = [region]
    others = [n for n in filterset.filters if n not in ("region", "type", "status")]
    if any(cleaned.get(name) for name in others):
        return None
    if not roots or any(r.level > COUNTED_LEVEL for r in roots):
        return _raw_counts(request, data)
    counts: dict[str, int] = {}
    resource_type = cleaned.get("type")
    for root in roots:
        for key, n in rollups.by_key(ENTRIES, root).items():
            status, key_type = key.split("|", 1)
            if not resource_type or resource_type == key_type:
                counts[status] = counts.get(status, 0) + n
    if not region:  # and one's own applications outside the regions (the owner scope)
        own = Resource.objects.filter(created_by=user)
        if resource_type:
            own = own.filter(resource_type=resource_type)
        for root in roots:
            low, high = subtree_bounds(root.path)
            own = own.exclude(region__path__gte=low, region__path__lt=high)
        for status, n in own.order_by().values_list("status").annotate(n=Count("pk")):
            counts[status] = counts.get(status, 0) + n
    return counts


def _raw_counts(request, data) -> dict:
    filterset = _filtered(request, data=data)
    if not filter_is_usable(filterset):
        return {}
    return dict(filterset.qs.order_by().values_list("status").annotate(n=Count("pk")))


@require_safe
@permission_required("resources.resource.view")
def resource_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Resource.objects.none()
    page = paginate(request, queryset.order_by("-updated_at", "-pk"))
    _label_rows(_add_stage(page.object_list))
    counts, total, all_query = _status_counts(request, filterset)
    user = request.user
    owner = filterset.form.cleaned_data.get("owner") if filterset.is_bound else None
    return render(
        request,
        "resources/resource_list.html",
        {
            "owner": owner if isinstance(owner, Organization) else None,
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "counts": counts,
            "total": total,
            "all_query": all_query,
            "status": request.GET.get("status", ""),
            "more_filters": any(request.GET.get(k) for k in MORE_FILTERS),
            "today": timezone.localdate(),
            "can_create": has_permission(user, "resources.resource.create"),
            "can_export": has_permission(user, "resources.resource.export"),
            "can_queue": has_permission(user, "resources.resource.check"),
        },
    )


OWNER_MATCHES = 20


@require_safe
@permission_required("resources.resource.view")
def owner_search(request):
    """The owner units matching the typed words (search-as-you-type for the list's owner
    filter; a province holds thousands): at most OWNER_MATCHES units that own an entry
    the caller sees, as JSON [{"id", "name"}]."""
    words = request.GET.get("q", "").strip()[:50]
    units = []
    if words:
        entries = visible_to(request.user, Resource, "view", public=False)
        owning = Exists(entries.filter(organization=OuterRef("pk")))
        units = list(
            Organization.objects.filter(name__icontains=words)
            .filter(owning)
            .order_by("name", "pk")
            .values("id", "name")[:OWNER_MATCHES]
        )
    return JsonResponse({"results": units}, json_dumps_params={"ensure_ascii": False})


def export_columns() -> list[Column]:
    return [
        Column("listing_number", _("Listing number"), width=22),
        Column("title", _("Title"), width=32),
        Column("type", _("Resource type"), width=14),
        Column("status", _("Status"), width=12),
        Column("stage", _("Workflow stage"), width=16),
        Column("owner", _("Owner unit"), width=28),
        Column("region", _("Region"), width=24),
        Column("region_code", _("Region code"), width=12),
        Column("summary", _("Summary"), width=40),
        Column("groups", _("Key groups"), width=24),
        Column("topics", _("Topics"), width=24),
        Column("hazards", _("Hazard types"), width=20),
        Column("emergency", _("Emergency library"), width=10),
        Column("address", _("Address"), width=30),
        Column("url", _("Link"), width=30),
        Column("published_at", _("First published"), width=12),
        Column("review_by", _("Review by"), width=12),
        Column("updated_at", _("Updated"), width=16),
    ]


def export_values(resource) -> list:
    """One row of the export. No personal data: the applicant is never named (an
    individual's entry says "Individual applicant")."""
    published = timezone.localtime(resource.published_at) if resource.published_at else None
    return [
        resource.listing_number,
        resource.title,
        resource.get_resource_type_display(),
        resource.get_status_display(),
        STAGE_LABELS.get(resource.stage, ""),
        resource.owner_label(),
        resource.region.full_name,
        resource.region.code,
        resource.summary,
        "、".join(str(x) for x in resource.group_labels()),
        "、".join(str(x) for x in resource.topic_labels()),
        "、".join(str(x) for x in resource.hazard_labels()),
        _("Yes") if resource.is_emergency else _("No"),
        resource.address,
        resource.url,
        published.date().isoformat() if published else "",
        resource.review_by.isoformat() if resource.review_by else "",
        timezone.localtime(resource.updated_at).strftime("%Y-%m-%d %H:%M"),
    ]


@exports.builder(
    "resources.resource", permission="resources.resource.export", back="resources:resource_list"
)
def resource_export_rows(request):
    filterset = _filtered(request, action="export")
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=_with_stage(filterset.qs).order_by("region__code", "pk"),
        action="resources.resource.exported",
        title=_("Resource catalog"),
        columns=export_columns(),
        to_values=export_values,
        basename="resources",
    )


@require_safe
@permission_required("resources.resource.export")
def resource_export(request):
    return export_list(request, "resources.resource")


# --- the listing queue ------------------------------------------------------------------


def _review_counts(queryset):
    """Each entry in review with its experts: assigned, filed, and overdue (not filed
    past the due date)."""
    assignments = ReviewAssignment.objects.filter(
        version__resource=OuterRef("pk"), version__status=c.VersionStatus.IN_REVIEW
    )

    def count(qs):
        counted = qs.order_by().values("version__resource").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)

    today = timezone.localdate()
    return queryset.annotate(
        reviews_total=count(assignments),
        reviews_filed=count(assignments.filter(submitted_at__isnull=False)),
        reviews_overdue=count(assignments.filter(submitted_at__isnull=True, due_date__lt=today)),
        review_due=Subquery(
            assignments.filter(submitted_at__isnull=True)
            .order_by("due_date")
            .values("due_date")[:1]
        ),
    )


@require_safe
@permission_required("resources.resource.check")
def queue(request):
    user = request.user
    scoped = scope.actionable(user, Resource.objects.with_relations(), "check")
    submitted_at = Subquery(
        ResourceVersion.objects.filter(
            resource=OuterRef("pk"), status=c.VersionStatus.SUBMITTED
        ).values("submitted_at")[:1]
    )
    # The emergency SLA: entries about a hazard with an open incident first, marked.
    urgent = Q(is_emergency=True) & Exists(
        ResourceTag.objects.filter(
            resource=OuterRef("pk"), kind=c.TagKind.HAZARD, code__in=urgent_hazards()
        )
    )
    scoped = scoped.annotate(urgent=ExpressionWrapper(urgent, output_field=BooleanField()))
    to_check = scoped.in_stage(c.VersionStatus.SUBMITTED).annotate(submitted=submitted_at)
    in_review = _review_counts(scoped.in_stage(c.VersionStatus.IN_REVIEW))
    ready = in_review.filter(reviews_total__gt=0).filter(reviews_filed=F("reviews_total"))
    waiting = in_review.exclude(pk__in=ready.values("pk"))
    due = scoped.review_due(DUE_SOON_DAYS).order_by("review_by", "pk")
    sections = [
        {
            "key": "check",
            "title": _("Awaiting the completeness check"),
            "hint": _("Check that the application is complete, then choose the experts."),
            "count": to_check.count(),
            "rows": list(to_check.order_by("-urgent", "submitted", "pk")[:QUEUE_ROWS]),
            "stage": c.VersionStatus.SUBMITTED,
        },
        {
            "key": "decide",
            "title": _("Ready to decide"),
            "hint": _("Every expert has filed a review."),
            "count": ready.count(),
            "rows": list(ready.order_by("-urgent", "updated_at", "pk")[:QUEUE_ROWS]),
            "stage": c.VersionStatus.IN_REVIEW,
        },
        {
            "key": "review",
            "title": _("In scientific review"),
            "hint": _("Waiting for the experts' reviews."),
            "count": waiting.count(),
            "rows": list(waiting.order_by("-urgent", "review_due", "pk")[:QUEUE_ROWS]),
            "stage": c.VersionStatus.IN_REVIEW,
        },
        {
            "key": "due",
            "title": _("Review-by date within 60 days"),
            "hint": _("Check these entries are still current: renew, update or withdraw them."),
            "count": due.count(),
            "rows": _label_rows(list(due[:QUEUE_ROWS])),
            "stage": "",
        },
    ]
    return render(
        request,
        "resources/queue.html",
        {"sections": sections, "today": timezone.localdate(), "limit": QUEUE_ROWS},
    )
