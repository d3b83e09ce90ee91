import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from kepu.core.choices import OrgType
from kepu.core.models import Organization, Region
from kepu.core.publiccache import cached_value
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import scope_roots, visible_to

FOCUS_SESSION_KEY = "kepu_focus_region"
A11Y_COOKIE = "kepu_a11y"

DASHBOARD_TYPES = [
    OrgType.SCIENCE_ASSOCIATION,
    OrgType.MEMBER_DEPARTMENT,
    OrgType.VENUE,
    OrgType.SCHOOL,
]


def focus_region(request):
    """The region the user is looking at (`?region=` or the switcher), within their scope.
    A region outside the scope is ignored, never shown."""
    roots = scope_roots(request.user)
    asked = request.GET.get("region")
    if asked:
        region = Region.objects.filter(code=asked).first()
        if region and any(region.is_within(root) for root in roots):
            request.session[FOCUS_SESSION_KEY] = region.code
            return region
    code = request.session.get(FOCUS_SESSION_KEY)
    if code:
        region = Region.objects.filter(code=code).first()
        if region and any(region.is_within(root) for root in roots):
            return region
    if roots:
        return roots[0]
    organization = getattr(request.user, "organization", None)
    return organization.region if organization else None


# The dashboard's figures are at most this old (seconds); the page says as of when.
DASHBOARD_FRESH_SECONDS = 60


def dashboard_figures(user, focus) -> dict:
    """The figures of the dashboard for `user` looking at `focus`, from the shared cache
    (at most DASHBOARD_FRESH_SECONDS old, refreshed in the background; keyed by the
    user's access version, so a change of roles is seen at once)."""
    key = f"dashboard:{user.pk}:{user.access_version}:{focus.code if focus else '-'}"
    return cached_value(
        key,
        ("dashboard",),
        lambda: _figures(user, focus),
        fresh=DASHBOARD_FRESH_SECONDS,
    )


def _figures(user, focus) -> dict:
    organizations = visible_to(user, Organization)
    measures = {t.value: Q(org_type=t) for t in DASHBOARD_TYPES}
    rows, direct = ([], {})
    if focus is not None:
        rows, direct = counts_by_child_region(organizations, focus, measures=measures)
    by_type = dict(
        organizations.values("org_type").annotate(n=Count("pk")).values_list("org_type", "n")
    )
    province = None
    if focus is not None:
        province = Region.objects.filter(code=focus.ancestor_codes[0]).first()
    map_rows = []
    if province is not None:
        map_rows, _direct = counts_by_child_region(organizations, province)
    return {
        "rows": rows,
        "direct": direct,
        "by_type": by_type,
        "province": province,
        "map_rows": map_rows,
        "at": timezone.now(),
    }


@require_safe
@login_required
def dashboard_view(request):
    """The old address of the dashboard: its figures are on the workbench now."""
    url = reverse("core:home")
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def dashboard_context(request, focus) -> dict:
    """The dashboard's figures and charts for the workbench (users who may see them)."""
    figures = dashboard_figures(request.user, focus)
    rows, direct, by_type = figures["rows"], figures["direct"], figures["by_type"]
    province, map_rows = figures["province"], figures["map_rows"]
    chart = {
        "regions": [r.name for r, _c in rows],
        "totals": [c["total"] for _r, c in rows],
        "types": [{"name": str(OrgType(t).label), "value": n} for t, n in by_type.items()],
        "map": {
            "code": province.code if province else "",
            "name": province.name if province else "",
            "data": [{"name": r.name, "value": c["total"]} for r, c in map_rows],
        },
        "labels": {"organizations": _("Organizations")},
    }
    return {
        "rows": rows,
        "direct": direct,
        "types": DASHBOARD_TYPES,
        "total": sum(by_type.values()),
        "kpis": [(str(t.label), by_type.get(t.value, 0)) for t in DASHBOARD_TYPES],
        "chart_data": chart,
        "figures_at": figures["at"],
    }


def scope_breadcrumbs(user, focus):
    """The focus region's ancestors that lie within the user's scope."""
    if focus is None:
        return []
    roots = scope_roots(user)
    return [r for r in focus.ancestors(include_self=True) if any(r.is_within(x) for x in roots)]


@require_POST
@login_required
def focus_region_view(request):
    code = request.POST.get("region", "")
    region = Region.objects.filter(code=code).first()
    if region and any(region.is_within(root) for root in scope_roots(request.user)):
        request.session[FOCUS_SESSION_KEY] = region.code
    next_url = request.POST.get("next", "")
    return redirect(
        next_url if next_url.startswith("/") and not next_url.startswith("//") else "core:home"
    )


@csrf_exempt  # a preference cookie only (see kepu/urls.py)
@require_POST
def accessibility_view(request):
    """Toggle the large-text / high-contrast mode (适老化) — a cookie, so it also works
    for anonymous visitors and without JavaScript."""
    next_url = request.POST.get("next", "")
    safe = next_url.startswith("/") and not next_url.startswith("//")
    response = redirect(next_url if safe else "/")
    if request.COOKIES.get(A11Y_COOKIE) == "1":
        response.delete_cookie(A11Y_COOKIE)
    else:
        response.set_cookie(
            A11Y_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=settings.HTTPS
        )
    return response


@require_safe
def map_geojson_view(request, code):
    """The boundary file of a province (or "china"), from the configurable directory so a
    deployment can substitute an approved 标准地图."""
    if not (code == "china" or (code.isdigit() and len(code) == 2)):
        raise Http404
    path = settings.MAP_GEOJSON_DIR / f"{code}.json"
    if not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="application/json")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


def scope_switcher_options(user, limit_level=3):
    """Regions offered in the switcher: each scope root and its subtree down to counties."""
    options = []
    for root in scope_roots(user):
        subtree = Region.objects.subtree(root).filter(level__lte=max(limit_level, root.level))
        options.extend(subtree.only("code", "name", "level").order_by("path"))
    return options


SWITCHER_SECONDS = 300  # the region tree changes only at deployment (load_regions)
_switchers: dict[tuple, tuple[float, str]] = {}


def switcher_options_html(user, focus) -> str:
    """The switcher's <option> elements, made in one pass: the regions of a scope (205 for
    a province) are read once per process and scope for SWITCHER_SECONDS; rendering
    them through the template cost more than the rest of the dashboard."""
    roots = scope_roots(user)
    key = tuple(sorted(r.pk for r in roots))
    now = time.monotonic()
    hit = _switchers.get(key)
    if hit is None or now - hit[0] > SWITCHER_SECONDS:
        indent = {2: "\u3000", 3: "\u3000\u3000"}
        html = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((r.code, indent.get(r.level, "") + r.name) for r in scope_switcher_options(user)),
        )
        _switchers[key] = hit = (now, html)
    html = hit[1]
    if focus is not None:  # region codes are digits: nothing to escape
        html = html.replace(f'value="{focus.code}">', f'value="{focus.code}" selected>', 1)
    return mark_safe(html)  # noqa: S308 - made by format_html_join above


def forget_switchers() -> None:
    """Drop this process's switcher options (made again at the next dashboard)."""
    _switchers.clear()
