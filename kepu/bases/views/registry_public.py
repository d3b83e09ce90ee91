"""The portal's pages of the base registry: the public directory of listed bases
(`/venues/`), a base's public page, and the bases on a map. A base's point is its
unit's catalog place (one record, not two): the map reads the place's coordinates and
marks the point with the base's level. Nothing personal is shown: the unit, the
address, the opening hours and days, what there is to see (no liaison, no phone)."""

from __future__ import annotations

import json

from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.bases import choices as c
from kepu.bases.filters.registry import PublicBaseFilter
from kepu.bases.models import Base
from kepu.bases.permissions import get_public_base
from kepu.bases.services.registry import PUBLIC_TAG
from kepu.core import publiccache
from kepu.core.models import Region
from kepu.core.publiccache import public_page
from kepu.core.views.common import filter_is_usable, paginate, query_without_page

PAGE_SIZE = 20
MAP_POINT_LIMIT = 5000
MAP_LIST_SIZE = 50


def _listed():
    return Base.objects.listed().with_relations()


def _filtered(request):
    filterset = PublicBaseFilter(request.GET or None, queryset=_listed())
    rows = filterset.qs if filter_is_usable(filterset) else Base.objects.none()
    return filterset, rows


def region_options() -> list[dict]:
    """The provinces holding listed bases, with their cities and counties (a plain
    select: the page works without scripts)."""
    prefixes = (
        Base.objects.listed()
        .annotate(_p=Substr("region__path", 1, 3))
        .values_list("_p", flat=True)
        .distinct()
        .order_by()
    )
    provinces = [p for p in set(prefixes) if p]
    options = []
    if not provinces:
        return options
    for province in Region.objects.filter(path__in=provinces).order_by("code"):
        options.append({"code": province.code, "name": province.name, "depth": 0})
        children = Region.objects.subtree(province).filter(level__in=(2, 3)).order_by("path")
        for region in children.only("code", "name", "level", "path"):
            options.append({"code": region.code, "name": region.name, "depth": region.level - 1})
    return options


def _busiest_province():
    """The province holding the most listed bases (the map's default view)."""
    top = (
        Base.objects.listed()
        .annotate(_p=Substr("region__path", 1, 3))
        .values("_p")
        .annotate(n=Count("pk"))
        .order_by("-n", "_p")
        .first()
    )
    return Region.objects.filter(path=top["_p"]).first() if top else None


def _common(request, filterset) -> dict:
    region = filterset.form["region"].value() or ""
    return {
        "filter": filterset,
        "regions": region_options(),
        "region": region,
        "levels": c.BaseLevel.choices,
        "categories": c.BaseCategory.choices,
        "pager_query": query_without_page(request),
    }


@require_safe
@public_page(PUBLIC_TAG)
def public_base_list(request):
    """The directory of listed bases (科普教育基地名录), newest recognition first."""
    filterset, rows = _filtered(request)
    context = _common(request, filterset)
    context["page"] = paginate(request, rows.order_by("-valid_from", "-pk"), PAGE_SIZE)
    context["map_url"] = reverse("bases:public_base_map") + (
        f"?{context['pager_query']}" if context["pager_query"] else ""
    )
    return render(request, "bases/public/base_list.html", context)


@require_safe
def public_base_detail(request, pk):
    # Listed or not is asked outside the cache (one indexed query): a revoked base's page
    # is gone at once.
    get_public_base(pk)
    return _detail_page(request, pk)


@public_page(PUBLIC_TAG)
def _detail_page(request, pk):
    base = get_public_base(pk)
    place = base.place if base.place_id and base.place.status == "published" else None
    return render(
        request,
        "bases/public/base_detail.html",
        {
            "base": base,
            "place": place,
            "region_names": [r.name for r in base.region.ancestors(include_self=True)],
            "place_url": reverse("resources:public_detail", args=[place.uid]) if place else "",
            "map_url": reverse("bases:public_base_map") + f"?region={base.region.code}"
            if place and place.latitude is not None
            else "",
        },
    )


def _on_map(rows):
    return rows.filter(
        place__status="published",
        place__latitude__isnull=False,
        place__longitude__isnull=False,
    )


@require_safe
@public_page(PUBLIC_TAG)
def public_base_map(request):
    """The listed bases on the map (the catalog's map script, fed by the bases' points),
    with a plain list under it for phones and screen readers."""
    filterset, rows = _filtered(request)
    context = _common(request, filterset)
    code = context["region"]
    chosen = Region.objects.filter(code=code).first() if code else None
    province = None
    if chosen is not None:
        province = Region.objects.filter(code=chosen.ancestor_codes[0]).first()
    else:
        province = _busiest_province()
    cities = []
    if province is not None:
        for region in Region.objects.subtree(province).filter(level__in=(2, 3)).order_by("path"):
            if region.level == 2:
                cities.append({"code": region.code, "name": region.name, "counties": []})
            elif cities:
                cities[-1]["counties"].append({"code": region.code, "name": region.name})
    context["page"] = paginate(request, _on_map(rows).order_by("-valid_from", "-pk"), MAP_LIST_SIZE)
    context["config"] = {
        "points": reverse("bases:public_base_points"),
        "geojson": reverse("core:map_geojson", args=[province.code]) if province else "",
        "province": province.code if province else "",
        "cities": [{"code": x["code"], "name": x["name"]} for x in cities],
        "counties": {k["code"]: x["code"] for x in cities for k in x["counties"]},
        "labels": {
            "places": _("Bases"),
            "open": _("Open the page"),
            "showing": _(
                "Showing %(shown)s of %(count)s bases: narrow the filters to see the rest."
            ),
            "count": _("%(count)s bases on the map"),
            "none": _("No bases match these filters."),
            "failed": _("The map could not be loaded. The list below shows the bases."),
        },
    }
    context["list_url"] = reverse("bases:public_base_list")
    return render(request, "bases/public/base_map.html", context)


def _points_json(request) -> bytes:
    _filterset, rows = _filtered(request)
    rows = _on_map(rows).order_by("-valid_from", "-pk")
    found = list(
        rows.values(
            "pk",
            "name",
            "level",
            "region__name",
            "place__address",
            "place__latitude",
            "place__longitude",
        )[: MAP_POINT_LIMIT + 1]
    )
    truncated = len(found) > MAP_POINT_LIMIT
    found = found[:MAP_POINT_LIMIT]
    count = rows.count() if truncated else len(found)
    levels = dict(c.BaseLevel.choices)
    detail = reverse("bases:public_base_detail", args=[0])[: -len("0/")]
    points = [
        {
            "uid": str(r["pk"]),
            "title": r["name"],
            "type": r["level"],
            "type_label": str(levels[r["level"]]),
            "lon": float(r["place__longitude"]),
            "lat": float(r["place__latitude"]),
            "region": r["region__name"],
            "address": r["place__address"],
            "url": f"{detail}{r['pk']}/",
        }
        for r in found
    ]
    return json.dumps(
        {"points": points, "count": count, "truncated": truncated}, ensure_ascii=False
    ).encode()


@require_safe
def public_base_points(request):
    """The listed bases with a place on the map matching the filters, as JSON (at most
    MAP_POINT_LIMIT points; `truncated` says when there are more). Shared cache."""
    language = translation.get_language()

    def made():
        with translation.override(language):
            return _points_json(request)

    key = publiccache.page_key(request, f"bases.points:{request.get_host()}")
    body = publiccache.cached_value(key, (PUBLIC_TAG,), made)
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=300"
    return response
