"""The catalog REST API: entries in the caller's scope and their workflow (apply, edit,
submit, completeness check with experts, decision, management, versions), the signed-in
expert's own reviews, and the published catalog for anyone.

Same scope as the pages: outside the caller's scope an entry is 404; visible without
the right to a step, 403 (a step the caller holds nowhere is refused before the lookup,
as in the other apps' APIs). A step the entry's current state does not allow (a
service's `StateConflict`) is 409 `conflict`; other refusals are 400 `refused`, invalid
fields 400 `invalid` (the one error body of `kepu.core.api.errors`).
No response names an applicant: an entry is owned by a unit or by "individual"."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core import publiccache, scope
from kepu.core.api.base import ScopedViewSet
from kepu.core.choices import KeyGroup, Topic
from kepu.core.errors import StateConflict
from kepu.core.models import Region
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.api.serializers import (
    CatalogFacetsSerializer,
    PublicResourceDetailSerializer,
    PublicResourceSerializer,
    ResourceCheckSerializer,
    ResourceContentSerializer,
    ResourceCreateSerializer,
    ResourceDecideSerializer,
    ResourceDetailSerializer,
    ResourceManageSerializer,
    ResourceReviewDetailSerializer,
    ResourceReviewFileSerializer,
    ResourceReviewSerializer,
    ResourceSerializer,
    ResourceSubmitSerializer,
    ResourceUpdateResultSerializer,
    ResourceVersionDiffSerializer,
    ResourceVersionSerializer,
    ReviewerCandidateSerializer,
)
from kepu.resources.filters import PublicResourceFilter, ResourceFilter
from kepu.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceTag,
    ResourceVersion,
    ReviewAssignment,
)
from kepu.resources.permissions import (
    expert_assignments,
    get_assignment_for_expert,
    get_public_resource,
)
from kepu.resources.rollups import PUBLIC_TAG

R = "resources.resource"
ID = r"[0-9]+"
UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
CONFLICT = OpenApiResponse(description="Conflict: the entry's state does not allow the step.")
# Candidates checked against when an officer names the experts (the endpoint lists the
# best of them; any eligible expert may be chosen).
ALL_CANDIDATES = 2000


# --- entries ----------------------------------------------------------------------------


def _open_versions():
    return Prefetch(
        "versions",
        queryset=ResourceVersion.objects.open(),
        to_attr="open_versions",
    )


def _detail(request, resource) -> dict:
    """The entry as it stands now, with its open version (the experts' reviews for the
    officers who check or decide it, as on the page: four-eyes keeps the submitting officer
    from deciding, not from reading the reviews) and its files."""
    resource = (
        Resource.objects.with_relations()
        .prefetch_related(
            _open_versions(),
            Prefetch("attachments", queryset=ResourceAttachment.objects.select_related("version")),
        )
        .get(pk=resource.pk)
    )
    user = request.user
    officer = scope.can(user, resource, "check") or scope.can(user, resource, "decide")
    context = {"request": request, "show_reviews": officer}
    return ResourceDetailSerializer(resource, context=context).data


class ResourceViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Catalog entries of the caller's own scope: the officers of the entry's region,
    the staff of its owner unit, and the individual who applied (published entries of
    other regions are on the public endpoint, not here). Created as drafts (or submitted
    at once); an edit of a listed entry becomes a new version that goes live when it is
    published."""

    model = Resource
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    queryset = Resource.objects.none()
    lookup_value_regex = ID

    def base_queryset(self):
        return Resource.objects.with_relations().prefetch_related(_open_versions())

    def _serializer(self, serializer_class, **kwargs):
        """The validated input serializer (its `content()` is the services' dict)."""
        data = serializer_class(data=self.request.data, context={"request": self.request}, **kwargs)
        data.is_valid(raise_exception=True)
        return data

    @extend_schema(responses=ResourceDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The entry with its live content (before publication: the content applied
        for), its version in the workflow and its files (back-office download links)."""
        return Response(_detail(request, self.get_object()))

    @extend_schema(request=ResourceCreateSerializer, responses={201: ResourceDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Apply for an entry: `resource_type`, `organization` (the owner unit's id;
        left out by an individual applicant), the content (`region` a code; `groups`,
        `topics`, `hazards` lists of codes), a `note` to the reviewers, and `submit` to
        send it to the completeness check at once. Invalid content is 400 with the
        fields named."""
        data = self._serializer(ResourceCreateSerializer)
        resource = services.create_resource(
            actor=request.user,
            resource_type=data.validated_data["resource_type"],
            organization=data.validated_data.get("organization"),
            content=data.content(),
            note=data.validated_data.get("note", ""),
            submit=data.validated_data.get("submit", False),
        )
        return Response(_detail(request, resource), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ResourceContentSerializer,
        responses={200: ResourceUpdateResultSerializer, 409: CONFLICT},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the content (only the fields given). Before the first publication the
        entry changes with its draft; a listed entry keeps its live content and the
        change becomes a new version for review (`pending_review`). 409 while a version
        is being checked or reviewed, and for a withdrawn or rejected entry."""
        resource = self.get_object()
        data = self._serializer(ResourceContentSerializer, partial=True)
        version = services.update_content(
            resource,
            actor=request.user,
            content=data.content(),
            note=data.validated_data.get("note"),
        )
        resource.refresh_from_db()
        return Response(
            {
                "version": version.number,
                "version_status": version.status,
                "pending_review": resource.status != c.ResourceStatus.DRAFT,
                "resource": _detail(request, resource),
            }
        )

    @extend_schema(
        request=ResourceSubmitSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="submit")
    def submit(self, request, pk=None):
        """Send the draft (or returned) version to the completeness check, with an
        optional note. 400 naming the required fields still empty; 409 when there is no
        draft or returned version."""
        resource = self.get_object()
        note = self.input(ResourceSubmitSerializer).get("note")
        services.submit_version(resource, actor=request.user, note=note)
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceCheckSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="check")
    def check(self, request, pk=None):
        """The completeness check of a submitted version. `complete: true` sends it to
        the `reviewers` (pool membership ids, among the entry's `candidates`) with a
        `due_date` (in 14 days by default); `complete: false` returns it with the `note`
        saying what is missing. 409 unless a version is submitted."""
        resource = self.get_object()
        data = self.input(ResourceCheckSerializer)
        version = resource.open_version()
        if version is None or version.status != c.VersionStatus.SUBMITTED:
            # Before the experts are looked up: the state decides first (the service
            # refuses the same).
            raise StateConflict(_("Only a submitted version waits for the completeness check."))
        reviewers = []
        if data["complete"]:
            if not data["reviewers"]:
                # Refused here too: the service would refuse it only after a write.
                raise serializers.ValidationError({"reviewers": _("Choose at least one expert.")})
            eligible = {
                m.pk: m
                for m in services.reviewer_candidates(resource, request.user, limit=ALL_CANDIDATES)
            }
            unknown = [pk for pk in data["reviewers"] if pk not in eligible]
            if unknown:
                raise serializers.ValidationError(
                    {
                        "reviewers": _("Not experts who may review this entry: %(ids)s.")
                        % {"ids": ", ".join(str(pk) for pk in unknown)}
                    }
                )
            reviewers = [eligible[pk] for pk in dict.fromkeys(data["reviewers"])]
        services.check_completeness(
            resource,
            actor=request.user,
            complete=data["complete"],
            note=data["note"],
            reviewers=reviewers,
            due_date=data["due_date"],
        )
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceDecideSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="decide")
    def decide(self, request, pk=None):
        """Decide a version in review: `publish` (once every expert has filed; with a
        `note` when one did not find it accurate) gives the entry its listing number the
        first time and a new review-by date; `return` and `reject` need the `note` for
        the applicant. 409 unless a version is in review."""
        resource = self.get_object()
        data = self.input(ResourceDecideSerializer)
        services.decide(resource, actor=request.user, decision=data["decision"], note=data["note"])
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceManageSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="manage")
    def manage(self, request, pk=None):
        """Manage a listed entry: `suspend` (with a `reason`; off the portal for now),
        `reinstate`, `withdraw` (with a `reason`; for good) or `renew` its review-by
        date. 409 when the entry's status does not allow the action."""
        resource = self.get_object()
        data = self.input(ResourceManageSerializer)
        services.manage(resource, actor=request.user, action=data["action"], reason=data["reason"])
        return Response(_detail(request, resource))

    @extend_schema(responses=ResourceVersionSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        scope_action="view",
    )
    def versions(self, request, pk=None):
        """Every version of the entry, newest first; `is_live` marks the published one."""
        resource = self.get_object()
        versions = resource.versions.order_by("-number")
        for version in versions:
            version.resource = resource
        return Response(ResourceVersionSerializer(versions, many=True).data)

    @extend_schema(
        responses=ResourceVersionDiffSerializer,
        parameters=[
            OpenApiParameter(
                "number",
                OpenApiTypes.INT,
                description="The version (default: the open version, else the live one).",
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="version-diff",
        url_name="version-diff",
        filterset_class=None,
        pagination_class=None,
        scope_action="view",
    )
    def version_diff(self, request, pk=None):
        """What a version changes against the version published before it: one row per
        changed field with the old and new text (a line diff for long texts)."""
        resource = self.get_object()
        number = request.query_params.get("number", "")
        if number:
            # Not a version number (or one too large to be one): no such version.
            valid = number.isdigit() and len(number) <= 9
            version = resource.versions.filter(number=int(number) if valid else -1).first()
        else:
            version = (
                resource.open_version()
                or resource.versions.filter(number=resource.live_version or 0).first()
            )
        if version is None:
            raise Http404
        rows = services.version_diff(services.previous_data(version), version.data)
        return Response(
            ResourceVersionDiffSerializer(
                {"number": version.number, "status": version.status, "rows": rows}
            ).data
        )

    @extend_schema(responses=ReviewerCandidateSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        scope_action="check",
    )
    def candidates(self, request, pk=None):
        """The experts who may review the entry (for the officers who check it): in the
        pools the caller sees, available, with an account and no conflict of interest;
        those covering more of its topics and with fewer open reviews first."""
        resource = self.get_object()
        candidates = services.reviewer_candidates(resource, request.user)
        return Response(ReviewerCandidateSerializer(candidates, many=True).data)


# --- experts ----------------------------------------------------------------------------


class ReviewViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The reviews the signed-in expert was asked for, and nobody else's: another
    expert's review is 404, however senior the caller. Reviews are personal: they are
    reached through the assignment (`permissions.expert_assignments`), not through a
    region or unit scope, so the base's role check does not apply (`model` None); the
    object rule of `file` (only the assigned expert) is checked by `get_object`."""

    serializer_class = ResourceReviewSerializer
    queryset = ReviewAssignment.objects.none()
    filterset_class = None
    lookup_value_regex = ID

    def get_queryset(self):
        return (
            expert_assignments(self.request.user)
            .select_related("pool")
            .order_by("-assigned_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ResourceReviewDetailSerializer
        return ResourceReviewSerializer

    def get_object(self):
        assignment = get_assignment_for_expert(self.request.user, self.kwargs["pk"])
        reason = scope.refusal(self.request.user, assignment, self.permission_action())
        if reason:
            raise PermissionDenied(reason)
        return assignment

    @extend_schema(
        request=ResourceReviewFileSerializer,
        responses={200: ResourceReviewDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], scope_action="file")
    def file(self, request, pk=None):
        """File the review (once: 409 the second time, or once the version has left
        review). Comments are required unless the verdict is "accurate"."""
        assignment = self.get_object()
        data = self.input(ResourceReviewFileSerializer)
        services.file_review(assignment, actor=request.user, **data)
        return Response(ResourceReviewDetailSerializer(self.get_object()).data)


# --- the public catalog -----------------------------------------------------------------

# Length of a region code at each level (GB/T 2260; townships have 9-digit codes).
CODE_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9}
LEVEL_OF_LENGTH = {n: level for level, n in CODE_LENGTH.items()}


def _region_counts(queryset, code: str):
    """Entries counted by the part of region `code` they lie in (its child regions;
    entries of the region itself count under it). Without a region: by province, going
    down while every entry lies in one part. Returns the region whose parts are counted
    (None for the whole country) and the counts."""
    explicit, previous = bool(code), None
    while True:
        length = CODE_LENGTH.get(LEVEL_OF_LENGTH.get(len(code), 0) + 1)
        if length is None:
            counts = [(code, queryset.count())]
            break
        counts = list(
            queryset.annotate(part=Substr("region__code", 1, length))
            .values_list("part")
            .annotate(n=Count("pk"))
            .order_by("part")
        )
        if explicit or len(counts) != 1:
            break
        if counts[0][0] == code:
            # Every entry lies in the region itself: its parent's count says more.
            if previous is not None:
                code, counts = previous
            break
        previous, code = (code, counts), counts[0][0]
    names = dict(
        Region.objects.filter(code__in=[code, *(part for part, _n in counts)]).values_list(
            "code", "name"
        )
    )
    region = {"code": code, "name": names[code]} if code in names else None
    regions = [{"code": p, "label": names.get(p, p), "count": n} for p, n in counts]
    return region, regions


def _choice_counts(rows, choices) -> list[dict]:
    labels = dict(choices)
    counts = dict(rows)
    return [
        {"code": code, "label": str(label), "count": counts[code]}
        for code, label in labels.items()
        if counts.get(code)
    ]


class PublicResourceViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The published catalog for anyone (open data): no personal data, the owner a
    unit's name or "individual"; entries by their `uid`. Anything not published is 404,
    also for signed-in officers (their own drafts are on the back-office endpoint)."""

    permission_classes = [AllowAny]
    model = Resource
    public = True
    open_actions = ("list", "retrieve", "facets")
    serializer_class = PublicResourceSerializer
    filterset_class = PublicResourceFilter
    queryset = Resource.objects.none()
    lookup_field = "uid"
    lookup_value_regex = UUID

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PublicResourceDetailSerializer
        return PublicResourceSerializer

    def base_queryset(self):
        return Resource.objects.published()

    def get_queryset(self):
        # Published rows are public to everyone: no scope to add.
        live = ResourceAttachment.objects.filter(is_live=True).order_by("uploaded_at", "pk")
        return (
            Resource.objects.published()
            .with_relations()
            .prefetch_related(Prefetch("attachments", queryset=live, to_attr="live_attachments"))
            .order_by("-published_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        """The published entries matching the filters, newest first. The same for every
        caller: each page is made once per filter, language and host and served from the
        shared cache (made again in the background when the catalog changes)."""
        self.filter_queryset(self.get_queryset())  # an invalid filter: 400 before the cache
        language = translation.get_language()

        def make():
            with translation.override(language):
                return super(PublicResourceViewSet, self).list(request, *args, **kwargs).data

        prefix = f"resources.api.public:{request.get_host()}"
        key = publiccache.page_key(request._request, prefix)
        return Response(publiccache.cached_value(key, (PUBLIC_TAG,), make))

    def retrieve(self, request, *args, **kwargs):
        """A published entry: its content in full, labelled tags and published files
        (public links)."""
        resource = get_public_resource(kwargs["uid"])
        live = ResourceAttachment.objects.filter(resource=resource, is_live=True)
        resource.live_attachments = list(live.order_by("uploaded_at", "pk"))
        return Response(PublicResourceDetailSerializer(resource).data)

    @extend_schema(responses=CatalogFacetsSerializer, filters=True)
    @action(detail=False, methods=["get"], pagination_class=None)
    def facets(self, request):
        """Counts of the published entries matching the filters, by type, key group,
        topic, hazard and region (for building filter menus). The same for every caller:
        made once per filter and language and served from the shared cache (made again
        in the background when the catalog changes)."""
        queryset = self.filter_queryset(Resource.objects.published())  # 400 when invalid
        language = translation.get_language()

        def make():
            with translation.override(language):
                return self._facets(request, queryset)

        key = publiccache.page_key(request._request, "resources.api.facets")
        return Response(publiccache.cached_value(key, (PUBLIC_TAG,), make))

    def _facets(self, request, queryset) -> dict:
        matching = Resource.objects.filter(pk__in=queryset.values("pk"))
        tags = ResourceTag.objects.filter(resource__in=queryset.values("pk"))

        def by_tag(kind, choices):
            rows = tags.filter(kind=kind).values_list("code").annotate(n=Count("resource_id"))
            return _choice_counts(rows, choices)

        region, regions = _region_counts(matching, request.query_params.get("region", ""))
        data = {
            "count": matching.count(),
            "types": _choice_counts(
                matching.values_list("resource_type").annotate(n=Count("pk")).order_by(),
                c.ResourceType.choices,
            ),
            "groups": by_tag(c.TagKind.GROUP, KeyGroup.choices),
            "topics": by_tag(c.TagKind.TOPIC, Topic.choices),
            "hazards": by_tag(c.TagKind.HAZARD, c.HAZARD_CHOICES),
            "region": region,
            "regions": regions,
        }
        return dict(CatalogFacetsSerializer(data).data)
