"""The catalog REST API: entries in the caller's scope and their workflow (apply, edit,
submit, completeness check with experts, decision, management, versions), the signed-in
expert's own reviews, and the published catalog for anyone.

Same scope as the pages: outside the caller's scope an entry is 404; visible without
the right to a step, 403 (a step the caller holds nowhere is refused before the lookup,
as in the other apps' APIs). A step the entry's current state does not allow (a
service's `StateConflict`) is 409 Conflict; other refusals and invalid fields are 400.
No response names an applicant: an entry is owned by a unit or by "individual"."""

import django_filters
from django.db.models import Count, Prefetch
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core.choices import KeyGroup, Topic
from kepu.core.errors import StateConflict
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.models import Region
from kepu.core.scope import require, visible_to
from kepu.core.search import search
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.api.serializers import (
    STAGE_CHOICES,
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
from kepu.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceTag,
    ResourceVersion,
    ReviewAssignment,
)
from kepu.resources.permissions import (
    can,
    expert_assignments,
    get_assignment_for_expert,
    get_public_resource,
    get_resource_for_user,
)

R = "resources.resource"
ID = r"[0-9]+"
UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
CONFLICT = OpenApiResponse(description="Conflict: the entry's state does not allow the step.")
# Candidates checked against when an officer names the experts (the endpoint lists the
# best of them; any eligible expert may be chosen).
ALL_CANDIDATES = 2000


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the current state.")
    default_code = "conflict"


def conflicts(call):
    """Run a state change; a step the entry's state does not allow (the service's
    `StateConflict`) is 409 Conflict. Other domain errors stay 400 (core handler)."""
    try:
        return call()
    except StateConflict as exc:
        raise Conflict(" ".join(exc.messages)) from exc


def _valid(serializer_class, request, **kwargs):
    data = serializer_class(data=request.data, context={"request": request}, **kwargs)
    data.is_valid(raise_exception=True)
    return data


# --- filters ----------------------------------------------------------------------------


class PublicResourceFilter(django_filters.FilterSet):
    """The portal's filters: words (Chinese full text), type, key group, topic, hazard,
    region (its subtree, by code) and the emergency library."""

    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Search"))
    type = django_filters.ChoiceFilter(
        field_name="resource_type", choices=c.ResourceType.choices, label=gettext_lazy("Type")
    )
    group = django_filters.ChoiceFilter(
        choices=KeyGroup.choices, method="filter_tag", label=gettext_lazy("Key group")
    )
    topic = django_filters.ChoiceFilter(
        choices=Topic.choices, method="filter_tag", label=gettext_lazy("Topic")
    )
    hazard = django_filters.ChoiceFilter(
        choices=c.HAZARD_CHOICES, method="filter_tag", label=gettext_lazy("Hazard type")
    )
    region = RegionSubtreeFilter()
    emergency = django_filters.BooleanFilter(
        field_name="is_emergency", label=gettext_lazy("In the emergency library")
    )

    class Meta:
        model = Resource
        fields = ["q", "type", "group", "topic", "hazard", "region", "emergency"]

    def filter_q(self, qs, name, value):
        return search(qs, value, fields=Resource.SEARCH_FIELDS)

    def filter_tag(self, qs, name, value):
        # One tag row per entry, kind and code (unique): the join repeats no entry.
        return qs.tagged(name, value)


class ResourceFilter(PublicResourceFilter):
    """The portal's filters, the entry's status and its stage in the workflow (the
    status of its open version)."""

    status = django_filters.ChoiceFilter(
        choices=c.ResourceStatus.choices, label=gettext_lazy("Status")
    )
    stage = django_filters.ChoiceFilter(
        choices=STAGE_CHOICES, method="filter_stage", label=gettext_lazy("Stage")
    )

    class Meta(PublicResourceFilter.Meta):
        fields = [*PublicResourceFilter.Meta.fields, "status", "stage"]

    def filter_stage(self, qs, name, value):
        return qs.in_stage(value)


# --- entries ----------------------------------------------------------------------------


def _open_versions():
    return Prefetch(
        "versions",
        queryset=ResourceVersion.objects.open(),
        to_attr="open_versions",
    )


def _detail(request, resource) -> dict:
    """The entry as it stands now, with its open version (the experts' reviews for the
    officers who decide it) and its files."""
    resource = (
        Resource.objects.with_relations()
        .prefetch_related(
            _open_versions(),
            Prefetch("attachments", queryset=ResourceAttachment.objects.select_related("version")),
        )
        .get(pk=resource.pk)
    )
    context = {"request": request, "show_reviews": can(request.user, resource, "decide")}
    return ResourceDetailSerializer(resource, context=context).data


class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Catalog entries of the caller's own scope: the officers of the entry's region,
    the staff of its owner unit, and the individual who applied (published entries of
    other regions are on the public endpoint, not here). Created as drafts (or submitted
    at once); an edit of a listed entry becomes a new version that goes live when it is
    published."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    queryset = Resource.objects.none()
    lookup_value_regex = ID

    def get_queryset(self):
        queryset = Resource.objects.with_relations().prefetch_related(_open_versions())
        return visible_to(self.request.user, queryset, public=False)

    def _checked(self, request, pk, permission) -> Resource:
        require(request.user, f"{R}.{permission}")
        return get_resource_for_user(request.user, pk, permission)

    def list(self, request, *args, **kwargs):
        require(request.user, f"{R}.view")
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ResourceDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The entry with its live content (before publication: the content applied
        for), its version in the workflow and its files (back-office download links)."""
        resource = self._checked(request, kwargs["pk"], "view")
        return Response(_detail(request, resource))

    @extend_schema(request=ResourceCreateSerializer, responses={201: ResourceDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Apply for an entry: `resource_type`, `organization` (the owner unit's id;
        left out by an individual applicant), the content (`region` a code; `groups`,
        `topics`, `hazards` lists of codes), a `note` to the reviewers, and `submit` to
        send it to the completeness check at once. Invalid content is 400 with the
        fields named."""
        require(request.user, f"{R}.create")
        data = _valid(ResourceCreateSerializer, request)
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
        resource = self._checked(request, kwargs["pk"], "change")
        data = _valid(ResourceContentSerializer, request, partial=True)
        version = conflicts(
            lambda: services.update_content(
                resource,
                actor=request.user,
                content=data.content(),
                note=data.validated_data.get("note"),
            )
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
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Send the draft (or returned) version to the completeness check, with an
        optional note. 400 naming the required fields still empty; 409 when there is no
        draft or returned version."""
        resource = self._checked(request, pk, "submit")
        note = _valid(ResourceSubmitSerializer, request).validated_data.get("note")
        conflicts(lambda: services.submit_version(resource, actor=request.user, note=note))
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceCheckSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def check(self, request, pk=None):
        """The completeness check of a submitted version. `complete: true` sends it to
        the `reviewers` (pool membership ids, among the entry's `candidates`) with a
        `due_date` (in 14 days by default); `complete: false` returns it with the `note`
        saying what is missing. 409 unless a version is submitted."""
        resource = self._checked(request, pk, "check")
        data = _valid(ResourceCheckSerializer, request).validated_data
        version = resource.open_version()
        if version is None or version.status != c.VersionStatus.SUBMITTED:
            # Before the experts are looked up: the state decides first (the service
            # refuses the same).
            raise Conflict(_("Only a submitted version waits for the completeness check."))
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
        conflicts(
            lambda: services.check_completeness(
                resource,
                actor=request.user,
                complete=data["complete"],
                note=data["note"],
                reviewers=reviewers,
                due_date=data["due_date"],
            )
        )
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceDecideSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request, pk=None):
        """Decide a version in review: `publish` (once every expert has filed; with a
        `note` when one did not find it accurate) gives the entry its listing number the
        first time and a new review-by date; `return` and `reject` need the `note` for
        the applicant. 409 unless a version is in review."""
        resource = self._checked(request, pk, "decide")
        data = _valid(ResourceDecideSerializer, request).validated_data
        conflicts(
            lambda: services.decide(
                resource, actor=request.user, decision=data["decision"], note=data["note"]
            )
        )
        return Response(_detail(request, resource))

    @extend_schema(
        request=ResourceManageSerializer, responses={200: ResourceDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def manage(self, request, pk=None):
        """Manage a listed entry: `suspend` (with a `reason`; off the portal for now),
        `reinstate`, `withdraw` (with a `reason`; for good) or `renew` its review-by
        date. 409 when the entry's status does not allow the action."""
        resource = self._checked(request, pk, "manage")
        data = _valid(ResourceManageSerializer, request).validated_data
        conflicts(
            lambda: services.manage(
                resource, actor=request.user, action=data["action"], reason=data["reason"]
            )
        )
        return Response(_detail(request, resource))

    @extend_schema(responses=ResourceVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def versions(self, request, pk=None):
        """Every version of the entry, newest first; `is_live` marks the published one."""
        resource = self._checked(request, pk, "view")
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
    )
    def version_diff(self, request, pk=None):
        """What a version changes against the version published before it: one row per
        changed field with the old and new text (a line diff for long texts)."""
        resource = self._checked(request, pk, "view")
        number = request.query_params.get("number", "")
        if number:
            version = resource.versions.filter(number=number if number.isdigit() else -1).first()
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
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def candidates(self, request, pk=None):
        """The experts who may review the entry (for the officers who check it): in the
        pools the caller sees, available, with an account and no conflict of interest;
        those covering more of its topics and with fewer open reviews first."""
        resource = self._checked(request, pk, "check")
        candidates = services.reviewer_candidates(resource, request.user)
        return Response(ReviewerCandidateSerializer(candidates, many=True).data)


# --- experts ----------------------------------------------------------------------------


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reviews the signed-in expert was asked for, and nobody else's: another
    expert's review is 404, however senior the caller."""

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
        return get_assignment_for_expert(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=ResourceReviewFileSerializer,
        responses={200: ResourceReviewDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        """File the review (once: 409 the second time, or once the version has left
        review). Comments are required unless the verdict is "accurate"."""
        assignment = get_assignment_for_expert(request.user, pk)
        data = _valid(ResourceReviewFileSerializer, request).validated_data
        conflicts(lambda: services.file_review(assignment, actor=request.user, **data))
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


class PublicResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """The published catalog for anyone (open data): no personal data, the owner a
    unit's name or "individual"; entries by their `uid`. Anything not published is 404."""

    permission_classes = [AllowAny]
    serializer_class = PublicResourceSerializer
    filterset_class = PublicResourceFilter
    queryset = Resource.objects.none()
    lookup_field = "uid"
    lookup_value_regex = UUID

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PublicResourceDetailSerializer
        return PublicResourceSerializer

    def get_queryset(self):
        live = ResourceAttachment.objects.filter(is_live=True).order_by("uploaded_at", "pk")
        return (
            Resource.objects.published()
            .with_relations()
            .prefetch_related(Prefetch("attachments", queryset=live, to_attr="live_attachments"))
            .order_by("-published_at", "-pk")
        )

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
        topic, hazard and region (for building filter menus)."""
        queryset = self.filter_queryset(Resource.objects.published())
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
        return Response(CatalogFacetsSerializer(data).data)
