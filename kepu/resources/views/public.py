"""The public catalog (科普资源名录, seed 001 四(四)3; 002 三(三)5): search with facets,
the "menus" of the key groups, the emergency library, the policy library, the map of
places, each entry's page with its files, and the open data (CSV/XLSX/JSON, DCAT).

Only published entries appear, only their live files, and nothing personal: the owner
is the unit or "individual applicant", never a name, an account or a reviewer.
"""

from __future__ import annotations

import json

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import (
    Http404,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import publiccache, ratelimit
from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Region
from kepu.core.pagination import capped_count
from kepu.core.publiccache import public_page
from kepu.core.uploads import file_response
from kepu.core.views.common import paginate, query_without_page
from kepu.core.widgets import RegionCascadeWidget
from kepu.resources import choices as c
from kepu.resources import opendata
from kepu.resources.facets import FacetCounts, SearchFacetCounts
from kepu.resources.models import Resource, ResourceAttachment
from kepu.resources.permissions import get_public_resource
from kepu.resources.rollups import PUBLIC_TAG
from kepu.resources.views.catalog import (
    DOWNLOAD_LIMIT,
    GROUP_ICONS,
    GROUP_INTROS,
    MAP_LIST_SIZE,
    MAP_POINT_LIMIT,
    MENU_PER_TYPE,
    PAGE_SIZE,
    TYPE_ICONS,
    TYPE_ORDER,
    CatalogQuery,
    _chips,
    _facet,
    _menus,
    _nav,
    _newest_first,
    _page,
    _published,
    _region_facet,
    _tag_counts,
    _tags,
    _type_counts,
    _with_thumbnails,
)

_NO_UID = "00000000-0000-0000-0000-000000000000"
# A download of at most this many entries is made once and served from the shared cache;
# a larger one (the whole catalog) is streamed.
CACHED_FILE_ROWS = 5000

# --- pages -------------------------------------------------------------------------------

NOT_COUNTED = ("type", "group", "topic", "hazard", "emergency")


def _facet_counts(query, entries, *, emergency_only=False):
    """The counters of the page's facets: the catalog's, or with words those of the
    entries matching them (and the region)."""
    if query.q:
        matching = query.apply(entries, skip=NOT_COUNTED)
        return SearchFacetCounts(query, matching, emergency_only=emergency_only)
    return FacetCounts(query, emergency_only=emergency_only)


def _topic_choices(query):
    """The topic facet's values: the topics that are not hazards. Every hazard entry is
    tagged with its hazard as a topic too, so listing the hazards here repeated the hazard
    facet line by line; they are offered there (a selected one stays, to be removed)."""
    hazards = {h.value for h in c.HAZARDS}
    return [(v, label) for v, label in Topic.choices if v not in hazards or v == query.topic]


@require_safe
@public_page(PUBLIC_TAG)
def search(request):
    """Full-text search with facets. Each facet counts the result of all the *other*
    filters, so that one can switch between its values; the region facet counts the
    regions one level below the chosen one (drill-down)."""
    query = CatalogQuery.from_request(request)
    base = reverse("resources:public_search")
    published = _published()
    result = query.apply(published)
    facets = []
    if not query.invalid:
        counted = _facet_counts(query, published)
        facets = [
            dict(
                _facet(query, base, "type", c.ResourceType.choices, _type_counts(query, counted)),
                title=_("Resource type"),
            ),
            dict(
                _facet(query, base, "group", KeyGroup.choices, _tags(query, counted, "group")),
                title=_("For"),
            ),
            dict(_region_facet(query, base, result, counted), title=_("Region")),
            dict(
                _facet(query, base, "topic", _topic_choices(query), _tags(query, counted, "topic")),
                title=_("Topic"),
            ),
            dict(
                _facet(query, base, "hazard", c.HAZARD_CHOICES, _tags(query, counted, "hazard")),
                title=_("Hazard type"),
            ),
        ]
        if counted.answers("emergency"):
            emergency_n = counted.emergency_count()
        else:
            library = query.apply(published, skip=("emergency",)).filter(is_emergency=True)
            emergency_n = capped_count(library)[0]
        facets.append(
            {
                "name": "emergency",
                "title": _("Emergency library"),
                "items": [
                    {
                        "value": "1",
                        "label": _("Emergency science resources"),
                        "count": emergency_n,
                        "selected": query.emergency,
                        "url": query.url(base, emergency=None if query.emergency else "1"),
                    }
                ]
                if emergency_n or query.emergency
                else [],
            }
        )
    page = _page(request, _newest_first(result.with_relations()))
    return render(
        request,
        "resources/public/search.html",
        {
            "query": query,
            "facets": [f for f in facets if f["items"] or f.get("trail")],
            "chips": _chips(query, base),
            "page": page,
            "pager_query": query_without_page(request),
            "menus": _menus(),
            "nav": _nav("search"),
            "download_query": query_without_page(request),
        },
    )


def _province_picker(code: str):
    """The region cascade starting at the cities of the catalog's province."""
    province = opendata.home_province()
    roots = [province] if province else list(Region.objects.roots())
    return RegionCascadeWidget(roots=roots, empty_label=_("All")).render(
        "region", code, {"id": "id_region"}
    )


@require_safe
@public_page(PUBLIC_TAG)
def menu(request, group):
    """The resource "menu" of one key group: its entries by type, places first, a few
    of each with a link to all of them in the search."""
    if group not in KeyGroup.values:
        raise Http404
    query = CatalogQuery.from_request(request, names=("region", "topic"))
    # Links from the menu go to the search (and the map) with the group added.
    query.group = group
    query.params["group"] = group
    query.names = ("q", "type", "group", "topic", "region")
    queryset = query.apply(_published())
    counts = dict(
        queryset.values("resource_type")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("resource_type", "n")
    )
    ranked = (
        queryset.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("resource_type")],
                order_by=[F("published_at").desc(nulls_last=True), F("pk").desc()],
            )
        )
        .filter(rank__lte=MENU_PER_TYPE)
        .with_relations()
    )
    by_type = {}
    for resource in _with_thumbnails(ranked):
        by_type.setdefault(resource.resource_type, []).append(resource)
    for entries in by_type.values():
        entries.sort(key=lambda r: (r.rank, -r.pk))
    search_base = reverse("resources:public_search")
    sections = [
        {
            "type": t,
            "label": t.label,
            "icon": TYPE_ICONS[t],
            "count": counts[t.value],
            "entries": by_type.get(t.value, []),
            "more_url": query.url(search_base, type=t.value),
        }
        for t in TYPE_ORDER
        if counts.get(t.value)
    ]
    topics = _tag_counts(query.apply(_published(), skip=("topic",)), c.TagKind.TOPIC)
    return render(
        request,
        "resources/public/menu.html",
        {
            "group": KeyGroup(group),
            "intro": GROUP_INTROS[group],
            "icon": GROUP_ICONS[group],
            "sections": sections,
            "total": sum(counts.values()),
            "query": query,
            "region_picker": _province_picker(query.region_code),
            "topics": [(v, label, topics.get(v, 0)) for v, label in Topic.choices if topics.get(v)],
            "menus": _menus(),
            "nav": _nav("search"),
            "all_url": query.url(search_base),
            "map_url": query.url(reverse("resources:map")),
        },
    )


@require_safe
@public_page(PUBLIC_TAG)
def emergency(request):
    """The emergency science library (应急科普资源库): the emergency entries, by hazard."""
    query = CatalogQuery.from_request(request, names=("q", "hazard", "type", "region"))
    base = reverse("resources:emergency")
    library = _published().filter(is_emergency=True)
    result = query.apply(library)
    hazard_counts = {}
    type_counts = {}
    all_count = 0
    if not query.invalid:
        counted = _facet_counts(query, library, emergency_only=True)
        hazard_counts = _tags(query, counted, "hazard", library)
        type_counts = _type_counts(query, counted, library)
        if counted.answers("hazard"):
            all_count = counted.total(skip="hazard")
        else:
            all_count = capped_count(query.apply(library, skip=("hazard",)))[0]
    hazards = _facet(query, base, "hazard", c.HAZARD_CHOICES, hazard_counts)
    hazards["all_url"] = query.url(base, hazard=None)
    hazards["all_count"] = all_count
    return render(
        request,
        "resources/public/emergency.html",
        {
            "query": query,
            "hazards": hazards,
            "types": _facet(query, base, "type", c.ResourceType.choices, type_counts),
            "chips": _chips(query, base),
            "page": _page(request, _newest_first(result.with_relations())),
            "pager_query": query_without_page(request),
            "nav": _nav("emergency"),
        },
    )


@require_safe
@public_page(PUBLIC_TAG)
def policies(request):
    """The policy library: policy documents, searchable in their full text."""
    query = CatalogQuery.from_request(request, names=("q", "region"))
    result = query.apply(_published().filter(resource_type=c.ResourceType.POLICY))
    result = result.with_relations().order_by(
        F("issued_on").desc(nulls_last=True), F("published_at").desc(nulls_last=True), "-pk"
    )
    return render(
        request,
        "resources/public/policies.html",
        {
            "query": query,
            "chips": _chips(query, reverse("resources:policies")),
            "page": paginate(request, result, PAGE_SIZE),
            "pager_query": query_without_page(request),
            "nav": _nav("policies"),
        },
    )


def _facts(resource) -> list[tuple[str, str]]:
    """The type's public fields that are filled, as (label, text)."""
    facts = []
    for name in resource.type_fields():
        if name in ("latitude", "longitude", "plain_description", "body"):
            continue
        model_field = Resource._meta.get_field(name)
        value = getattr(resource, name)
        if value in (None, ""):
            continue
        if model_field.choices:
            value = getattr(resource, f"get_{name}_display")()
        elif name == "duration_minutes":
            value = _("%(n)d minutes") % {"n": value}
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        facts.append((str(capfirst(model_field.verbose_name)), str(value)))
    return facts


@require_safe
def detail(request, uid):
    # Whether the entry is public is asked outside the cache (one indexed query): a
    # withdrawn entry's page is gone at once, and a 404 is never what a background
    # refresh of the cached page runs into.
    get_public_resource(uid)
    return _detail_page(request, uid)


@public_page(PUBLIC_TAG)
def _detail_page(request, uid):
    resource = get_public_resource(uid)
    files = list(resource.attachments.filter(is_live=True).order_by("uploaded_at", "pk"))
    region = resource.region
    map_region = region if region.level <= 3 else region.parent
    return render(
        request,
        "resources/public/detail.html",
        {
            "resource": resource,
            "facts": _facts(resource),
            "images": [f for f in files if f.kind == c.AttachmentKind.IMAGE],
            "videos": [f for f in files if f.kind == c.AttachmentKind.VIDEO],
            "documents": [f for f in files if f.kind == c.AttachmentKind.PDF],
            "region_names": [r.name for r in region.ancestors(include_self=True)],
            "map_url": reverse("resources:map") + f"?region={map_region.code}"
            if resource.latitude is not None and resource.longitude is not None
            else "",
            "keywords": [
                k.strip()
                for k in resource.keywords.replace("，", "、").replace(",", "、").split("、")
                if k.strip()
            ],
            "nav": _nav("policies" if resource.resource_type == c.ResourceType.POLICY else ""),
        },
    )


PUBLIC_FILE_CACHE = "public, max-age=300"


def _live_file(uid, file_pk) -> ResourceAttachment:
    resource = get_public_resource(uid)
    attachment = resource.attachments.filter(pk=file_pk, is_live=True).first()
    if attachment is None:
        raise Http404
    return attachment


@require_safe
def public_file(request, uid, file_pk):
    attachment = _live_file(uid, file_pk)
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        name=attachment.original_name,
        cache=PUBLIC_FILE_CACHE,
    )


@require_safe
def public_thumbnail(request, uid, file_pk):
    attachment = _live_file(uid, file_pk)
    if not attachment.thumbnail:
        raise Http404
    return file_response(
        attachment.thumbnail,
        content_type="image/jpeg",
        name=attachment.thumbnail_name,
        cache=PUBLIC_FILE_CACHE,
    )


# --- the map -----------------------------------------------------------------------------

MAP_FILTERS = ("type", "group", "topic", "region")


def _map_province(query):
    if query.region is not None:
        return Region.objects.filter(code=query.region.ancestor_codes[0]).first()
    return opendata.home_province()


@require_safe
@public_page(PUBLIC_TAG)
def resource_map(request):
    """The places of the catalog on the province map (ECharts, points fetched by
    map.js), with a plain list of them under the map for phones and screen readers."""
    query = CatalogQuery.from_request(request, names=MAP_FILTERS)
    province = _map_province(query)
    cities = []
    if province is not None:
        regions = Region.objects.subtree(province).filter(level__in=(2, 3)).order_by("path")
        for region in regions.only("code", "name", "level", "path"):
            if region.level == 2:
                cities.append({"code": region.code, "name": region.name, "counties": []})
            elif cities:
                cities[-1]["counties"].append({"code": region.code, "name": region.name})
    places = query.apply(_published().places_on_map()).select_related("region")
    page = paginate(request, _newest_first(places), MAP_LIST_SIZE)
    config = {
        "points": reverse("resources:map_points"),
        "geojson": reverse("core:map_geojson", args=[province.code]) if province else "",
        "province": province.code if province else "",
        "cities": [{"code": c_["code"], "name": c_["name"]} for c_ in cities],
        "counties": {
            county["code"]: city["code"] for city in cities for county in city["counties"]
        },
        "labels": {
            "places": _("Places"),
            "open": _("Open the page"),
            "showing": _(
                "Showing %(shown)s of %(count)s places: narrow the filters to see the rest."
            ),
            "count": _("%(count)s places on the map"),
            "none": _("No places match these filters."),
            "failed": _("The map could not be loaded. The list below shows the places."),
        },
    }
    return render(
        request,
        "resources/public/map.html",
        {
            "query": query,
            "province": province,
            "cities": cities,
            "groups": KeyGroup.choices,
            "topics": Topic.choices,
            "types": c.ResourceType.choices,
            "page": page,
            "pager_query": query_without_page(request),
            "config": config,
            "nav": _nav("map"),
        },
    )


# Other apps mark the catalog's places on the map without the catalog knowing them: a
# marker takes the ids of the places shown and returns {place id: label} (the bases
# registry marks a place that is a listed base with the base's level). The points are
# cached under the catalog's tag: an app whose marks change bumps it too.
POINT_MARKERS: list = []


def _marks(ids) -> dict[int, list[str]]:
    marks: dict[int, list[str]] = {}
    for marker in POINT_MARKERS:
        for pk, label in marker(ids).items():
            marks.setdefault(pk, []).append(str(label))
    return marks


def _points_json(query) -> bytes:
    places = query.apply(_published().places_on_map())
    rows = list(
        _newest_first(places).values(
            "pk",
            "uid",
            "title",
            "resource_type",
            "longitude",
            "latitude",
            "region__name",
            "address",
        )[: MAP_POINT_LIMIT + 1]
    )
    truncated = len(rows) > MAP_POINT_LIMIT
    rows = rows[:MAP_POINT_LIMIT]
    count = places.count() if truncated else len(rows)
    types = dict(c.ResourceType.choices)
    detail_base = reverse("resources:public_detail", args=[_NO_UID])
    marks = _marks([r["pk"] for r in rows]) if POINT_MARKERS and rows else {}
    points = [
        {
            "uid": str(r["uid"]),
            "title": r["title"],
            "type": r["resource_type"],
            "type_label": " · ".join([str(types[r["resource_type"]]), *marks.get(r["pk"], [])]),
            "lon": float(r["longitude"]),
            "lat": float(r["latitude"]),
            "region": r["region__name"],
            "address": r["address"],
            "url": detail_base.replace(_NO_UID, str(r["uid"])),
        }
        for r in rows
    ]
    for point, r in zip(points, rows, strict=True):
        if r["pk"] in marks:  # only on marked places (a listed base: its level)
            point["marks"] = marks[r["pk"]]
    data = {"points": points, "count": count, "truncated": truncated}
    return json.dumps(data, ensure_ascii=False).encode()


def _cached_bytes(request, name: str, make) -> bytes:
    """A public file made once and served from the shared cache to every visitor (made
    again in the background when the catalog changes), in the request's language."""
    language = translation.get_language()

    def made():
        with translation.override(language):
            return make()

    key = publiccache.page_key(request, f"{name}:{request.get_host()}")
    return publiccache.cached_value(key, (PUBLIC_TAG,), made)


@require_safe
def map_points(request):
    """The published entries with coordinates matching the map's filters, as JSON
    (at most MAP_POINT_LIMIT points; `truncated` says when there are more)."""
    query = CatalogQuery.from_request(request, names=MAP_FILTERS)
    body = _cached_bytes(request, "resources.points", lambda: _points_json(query))
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- open data ---------------------------------------------------------------------------

DOWNLOAD_FILTERS = ("q", "type", "group", "topic", "hazard", "region", "emergency")


@require_safe
@public_page(PUBLIC_TAG)
def open_data(request):
    published = _published()
    stats = published.aggregate(n=Count("pk"))
    latest = published.order_by("-updated_at").values_list("updated_at", flat=True).first()
    query = CatalogQuery.from_request(request, names=DOWNLOAD_FILTERS)
    suffix = ("?" + query_without_page(request)) if query.active else ""
    downloads = [
        {
            "fmt": fmt,
            "label": label,
            "help": help_text,
            "url": reverse("resources:download", args=[fmt]) + suffix,
        }
        for fmt, label, help_text in (
            ("csv", "CSV", _("UTF-8 with BOM: opens in Excel and WPS with the Chinese intact.")),
            ("xlsx", "Excel (XLSX)", _("Column titles and values in words.")),
            ("json", "JSON", _("A list of objects with a meta block, for programs.")),
        )
    ]
    return render(
        request,
        "resources/public/open_data.html",
        {
            "count": stats["n"],
            "latest": latest,
            "fields": opendata.FIELDS,
            "downloads": downloads,
            "chips": _chips(query, reverse("resources:open_data")),
            "dcat_url": reverse("resources:dcat"),
            "api_url": opendata.public_api_path(),
            "license_url": opendata.LICENSE_URL,
            "publisher": opendata.publisher_name(),
            "groups": KeyGroup.choices,
            "types": c.ResourceType.choices,
            "topics": Topic.choices,
            "nav": _nav("open_data"),
        },
    )


def _too_many(request):
    response = HttpResponse(
        _("Too many downloads from your network in a short time. Please try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "3600"
    return response


@require_safe
def download(request, fmt):
    """All published entries (optionally filtered like the search) as CSV, XLSX or JSON.
    Public and not audited one by one, but rate-limited per client IP."""
    if fmt not in opendata.FORMATS:
        raise Http404
    if not ratelimit.allow(request, "resources-opendata", limit=DOWNLOAD_LIMIT, per_seconds=3600):
        return _too_many(request)
    query = CatalogQuery.from_request(request, names=DOWNLOAD_FILTERS)
    queryset = query.apply(_published())
    detail_base = request.build_absolute_uri(reverse("resources:public_detail", args=[_NO_UID]))

    def detail_url(uid):
        return detail_base.replace(_NO_UID, str(uid))

    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"kepu-resources-{stamp}.{fmt}"
    counted = FacetCounts(query)
    if counted.answers(""):  # the counters know how many entries the file holds
        wide = counted.total() > CACHED_FILE_ROWS
    else:
        wide = capped_count(queryset, CACHED_FILE_ROWS)[1]
    if wide:
        response = _streamed(request, fmt, query, queryset, detail_url, filename)
    else:  # a region's (or a narrow filter's) file: made once, served from the cache

        def make():
            records = opendata.rows(queryset, detail_url=detail_url)
            return _file_bytes(request, fmt, query, queryset, records)

        body = _cached_bytes(request, f"resources.download.{fmt}", make)
        response = HttpResponse(body, content_type=_FILE_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


_FILE_TYPES = {
    "xlsx": opendata.MEDIA_TYPES["xlsx"],
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _file_bytes(request, fmt, query, queryset, records) -> bytes:
    if fmt == "xlsx":
        # The workbook's file, read and closed here: `response.close()` would signal the
        # end of a request (and close the database connection).
        with opendata.xlsx_response(records, "resources.xlsx").file_to_stream as handle:
            return handle.read()
    if fmt == "csv":
        return "".join(opendata.csv_chunks(records)).encode()
    meta = opendata.meta(request, count=queryset.count(), filters=query.params)
    return "".join(opendata.json_chunks(records, meta)).encode()


def _streamed(request, fmt, query, queryset, detail_url, filename):
    """The whole catalog (or a wide part of it) streamed in constant memory."""
    records = opendata.rows(queryset, detail_url=detail_url)
    if fmt == "xlsx":
        response = opendata.xlsx_response(records, filename)
    elif fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_chunks(records), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        meta = opendata.meta(request, count=queryset.count(), filters=query.params)
        response = StreamingHttpResponse(
            opendata.json_chunks(records, meta), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@public_page(PUBLIC_TAG)
def dcat(request):
    body = json.dumps(opendata.dcat(request), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
