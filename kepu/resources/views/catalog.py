"""The query of a public catalog page (the filters of its query string, the same
names and meanings as `filters.PublicResourceFilter`), its facets, chips and the
catalog's own navigation."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Region
from kepu.core.regiontree import subtree_ids
from kepu.core.rollups import counts_by_child_region
from kepu.core.search import search as full_text
from kepu.core.views.common import paginate
from kepu.resources import choices as c
from kepu.resources import opendata
from kepu.resources.models import Resource, ResourceAttachment, ResourceTag

PAGE_SIZE = 20
MENU_PER_TYPE = 6
MAP_POINT_LIMIT = 5000
MAP_LIST_SIZE = 50
DOWNLOAD_LIMIT = 30  # per client IP and hour: the files are heavy
TYPE_ORDER = [
    c.ResourceType.PLACE,
    c.ResourceType.FACILITY,
    c.ResourceType.WORK,
    c.ResourceType.INFORMATION,
    c.ResourceType.PRODUCT,
    c.ResourceType.HERITAGE,
    c.ResourceType.POLICY,
]
TYPE_ICONS = {
    c.ResourceType.PLACE: "map-pin",
    c.ResourceType.FACILITY: "building-community",
    c.ResourceType.PRODUCT: "star",
    c.ResourceType.WORK: "book",
    c.ResourceType.INFORMATION: "info-circle",
    c.ResourceType.HERITAGE: "world",
    c.ResourceType.POLICY: "file-text",
}
GROUP_ICONS = {
    KeyGroup.YOUTH: "star",
    KeyGroup.FARMERS: "home",
    KeyGroup.WORKERS: "building",
    KeyGroup.ELDERLY: "user-check",
    KeyGroup.OFFICIALS: "certificate",
    KeyGroup.GENERAL: "users",
}
GROUP_INTROS = {
    KeyGroup.YOUTH: gettext_lazy(
        "Science museums and education bases to visit, experiments, books, videos and "
        "courses for pupils and students — and for the teachers and parents who take them."
    ),
    KeyGroup.FARMERS: gettext_lazy(
        "Agricultural techniques, rural health, safe food and preventing disasters in the "
        "countryside: places to learn, videos and guides close to home."
    ),
    KeyGroup.WORKERS: gettext_lazy(
        "Skills and new technologies, safety at work and health for industrial workers: "
        "training bases, open laboratories, courses and guides."
    ),
    KeyGroup.ELDERLY: gettext_lazy(
        "Health, using smart phones safely, telling rumours and fraud from facts, and "
        "staying safe in emergencies — in plain words, for older people and their families."
    ),
    KeyGroup.OFFICIALS: gettext_lazy(
        "Science policy, the science behind public decisions and science literacy for "
        "leading cadres and civil servants: policy documents, courses and reading."
    ),
    KeyGroup.GENERAL: gettext_lazy(
        "Venues, works and information for everyone: science in daily life, health, "
        "the environment and what to do in an emergency."
    ),
}


# --- the query of a catalog page ---------------------------------------------------------


@dataclass
class CatalogQuery:
    """The filters of a catalog page, from its query string. A value that names nothing
    (an unknown type or region) makes the result empty rather than ignoring it."""

    q: str = ""
    type: str = ""
    group: str = ""
    topic: str = ""
    hazard: str = ""
    region: Region | None = None
    region_code: str = ""
    emergency: bool = False
    invalid: bool = False
    names: tuple = ("q", "type", "group", "topic", "hazard", "region", "emergency")
    params: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, request, names=None) -> CatalogQuery:
        query = cls()
        if names is not None:
            query.names = tuple(names)
        get = request.GET
        allowed = {
            "type": c.ResourceType.values,
            "group": KeyGroup.values,
            "topic": Topic.values,
            "hazard": [h.value for h in c.HAZARDS],
        }
        for name in query.names:
            value = get.get(name, "").strip()[:100]
            if not value:
                continue
            if name in allowed and value not in allowed[name]:
                query.invalid = True
                continue
            if name == "region":
                query.region = Region.objects.filter(code=value).first()
                query.invalid |= query.region is None
                query.region_code = value
            elif name == "emergency":
                query.emergency = value in ("1", "true", "on")
                if not query.emergency:
                    continue
                value = "1"
            else:
                setattr(query, name, value)
            query.params[name] = value
        return query

    def apply(self, queryset, *, skip=()):
        """`queryset` narrowed by every filter except those named in `skip`."""
        if self.invalid:
            return queryset.none()
        if self.q and "q" not in skip:
            queryset = full_text(queryset, self.q, fields=Resource.SEARCH_FIELDS)
        if self.type and "type" not in skip:
            queryset = queryset.filter(resource_type=self.type)
        for name, kind in (
            ("group", c.TagKind.GROUP),
            ("topic", c.TagKind.TOPIC),
            ("hazard", c.TagKind.HAZARD),
        ):
            value = getattr(self, name)
            if value and name not in skip:
                queryset = queryset.filter(
                    pk__in=ResourceTag.objects.filter(kind=kind, code=value).values("resource_id")
                )
        if self.emergency and "emergency" not in skip:
            queryset = queryset.filter(is_emergency=True)
        if self.region is not None and "region" not in skip:
            # The ids written out (no join on the regions: see core.regiontree).
            ids = subtree_ids(self.region)
            if ids is not None:
                queryset = queryset.filter(region_id__in=ids)
        return queryset

    def url(self, base: str, **changes) -> str:
        """`base` with these filters, `changes` applied (None removes a filter)."""
        params = {**self.params}
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        ordered = [(n, params[n]) for n in self.names if n in params]
        return base + ("?" + urlencode(ordered) if ordered else "")

    @property
    def active(self) -> bool:
        return bool(self.params)


def _type_counts(query, counted, base=None) -> dict:
    """The type facet: entries per type under the other filters (the counters when they
    can answer, else the raw rows of `base`, the published entries by default)."""
    if counted.answers("type"):
        return counted.by_type()
    rows = query.apply(base if base is not None else Resource.objects.published(), skip=("type",))
    return dict(
        rows.values("resource_type")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("resource_type", "n")
    )


def _tags(query, counted, name, base=None) -> dict:
    """The facet `name` (group, topic or hazard): entries per tag under the other filters."""
    if counted.answers(name):
        return counted.by_tag(name)
    rows = query.apply(base if base is not None else Resource.objects.published(), skip=(name,))
    return _tag_counts(rows, name)


def _tag_counts(queryset, kind) -> dict:
    return dict(
        ResourceTag.objects.filter(kind=kind, resource_id__in=queryset.values("pk"))
        .values("code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("code", "n")
    )


def _facet(query, base, name, choices, counts) -> dict:
    """One facet: its values with their counts, the selected one first, each a link
    that selects it (or removes it when selected)."""
    selected = getattr(query, name)
    items = []
    for value, label in choices:
        n = counts.get(value, 0)
        if not n and value != selected:
            continue
        items.append(
            {
                "value": value,
                "label": label,
                "count": n,
                "selected": value == selected,
                "url": query.url(
                    base, **{name: None if value == selected else value, "page": None}
                ),
            }
        )
    return {"name": name, "items": items}


def _region_facet(query, base, queryset, counted=None) -> dict:
    """The regions one level below the chosen region (the cities of the province when
    none is chosen) with their counts in the current result, and the way back up."""
    focus = query.region or opendata.home_province()
    trail = []
    if query.region is not None:
        for ancestor in query.region.ancestors(include_self=True):
            trail.append({"label": ancestor.name, "url": query.url(base, region=ancestor.code)})
        trail.insert(0, {"label": _("All regions"), "url": query.url(base, region=None)})
    items = []
    if focus is not None:
        if counted is not None and counted.answers_regions(focus):
            rows = counted.by_child(focus)
        else:
            found, _direct = counts_by_child_region(queryset, focus)
            rows = [(child, counts["total"]) for child, counts in found]
        items = [
            {
                "value": child.code,
                "label": child.name,
                "count": n,
                "selected": False,
                "url": query.url(base, region=child.code),
            }
            for child, n in rows
            if n
        ]
    return {"name": "region", "items": items, "trail": trail}


def _chips(query, base) -> list[dict]:
    """The active filters as removable chips."""
    labels = {
        "type": dict(c.ResourceType.choices),
        "group": dict(KeyGroup.choices),
        "topic": dict(Topic.choices),
        "hazard": dict(Topic.choices),
    }
    chips = []
    for name in query.names:
        value = query.params.get(name)
        if not value:
            continue
        if name == "q":
            label = f"“{value}”"
        elif name == "region":
            label = query.region.name if query.region else value
        elif name == "emergency":
            label = _("Emergency library")
        else:
            label = labels[name].get(value, value)
        chips.append({"label": label, "url": query.url(base, **{name: None})})
    return chips


def _with_thumbnails(resources) -> list:
    """The entries with `thumb_url`: the thumbnail of their first live image, if any
    (one query for the whole page)."""
    resources = list(resources)
    first = {}
    for resource_id, pk in (
        ResourceAttachment.objects.filter(
            resource__in=resources,
            is_live=True,
            kind=c.AttachmentKind.IMAGE,
        )
        .exclude(thumbnail="")
        .order_by("resource_id", "uploaded_at", "pk")
        .values_list("resource_id", "pk")
    ):
        first.setdefault(resource_id, pk)
    for resource in resources:
        pk = first.get(resource.pk)
        resource.thumb_url = (
            reverse("resources:public_thumbnail", args=[resource.uid, pk]) if pk else ""
        )
    return resources


def _page(request, queryset, per_page=PAGE_SIZE):
    page = paginate(request, queryset, per_page)
    page.object_list = _with_thumbnails(page.object_list)
    return page


def _published():
    return Resource.objects.published()


def _newest_first(queryset):
    # Published entries always have a date (no NULLS LAST needed: the index serves it).
    return queryset.order_by("-published_at", "-pk")


def _menus() -> list[dict]:
    return [
        {
            "code": value,
            "label": label,
            "icon": GROUP_ICONS[value],
            "url": reverse("resources:menu", args=[value]),
        }
        for value, label in KeyGroup.choices
    ]


def _nav(active: str) -> list[dict]:
    """The catalog's own navigation (search, map, emergency, policies, open data)."""
    items = [
        ("search", _("Catalog"), "resources:public_search", "search"),
        ("map", _("Map"), "resources:map", "map"),
        ("emergency", _("Emergency library"), "resources:emergency", "alert-triangle"),
        ("policies", _("Policy library"), "resources:policies", "file-text"),
        ("open_data", _("Open data"), "resources:open_data", "download"),
    ]
    return [
        {"key": key, "label": label, "url": reverse(name), "icon": icon, "active": key == active}
        for key, label, name, icon in items
    ]
