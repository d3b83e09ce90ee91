"""The public home page (门户首页): search over everything public, this week's activities
near the visitor (a region remembered in a cookie), the key groups' menus, the public
services, and the latest notices. Phone-first; anonymous visitors get it from the shared
cache, one entry per region."""

from __future__ import annotations

import datetime
import re

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kepu.activities.models import Activity
from kepu.activities.services import PUBLIC_TAG as ACTIVITIES_TAG
from kepu.core import clock
from kepu.core.choices import KeyGroup
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.models import Region
from kepu.core.publiccache import public_page
from kepu.core.widgets import RegionCascadeWidget
from kepu.emergency.choices import PUBLIC_TAG as EMERGENCY_TAG
from kepu.emergency.models import Incident
from kepu.portal.choices import HOME_NOTICES
from kepu.portal.models import Notice
from kepu.portal.services import PUBLIC_TAG

# Words offered under the search box (here and on an empty search page).
SUGGESTIONS = ("地震", "科技馆", "防溺水", "人工智能", "科普日", "志愿服务")
REGION_COOKIE = "kepu_region"
REGION_CODE = re.compile(r"\d{2,12}")
COOKIE_DAYS = 365
WEEK_ACTIVITIES = 6
# The home page's "near me" choice goes down to the county (a township is too narrow for
# a week's activities).
MAX_LEVEL = 3


def region_code(request) -> str:
    """The remembered region's code, or "" (a malformed cookie counts as none). Also the
    home page's cache variant."""
    code = request.COOKIES.get(REGION_COOKIE, "")
    return code if REGION_CODE.fullmatch(code) else ""


def remembered_region(request) -> Region | None:
    code = region_code(request)
    if not code:
        return None
    return Region.objects.filter(code=code, level__lte=MAX_LEVEL).first()


def _roots() -> list[Region]:
    """Where the picker starts: the catalog's province when there is one."""
    from kepu.resources.opendata import home_province

    province = home_province()
    return [province] if province else list(Region.objects.roots())


def region_picker(region: Region | None) -> str:
    widget = RegionCascadeWidget(roots=_roots(), empty_label=_("All"))
    return widget.render("region", region.code if region else "", {"id": "id_region"})


def week_activities(region: Region | None) -> list[Activity]:
    """Published activities running in the next seven days, in start order (the calendar's
    `upcoming()` bound), within the region's subtree when one is chosen."""
    now = clock.now()
    queryset = Activity.objects.upcoming().filter(starts_at__lt=now + datetime.timedelta(days=7))
    if region is not None:
        queryset = RegionSubtreeFilter().filter(queryset, region)
    rows = list(
        queryset.select_related("region", "organization").order_by("starts_at", "pk")[
            :WEEK_ACTIVITIES
        ]
    )
    for activity in rows:  # a multi-day event that began earlier is running now
        activity.ongoing = activity.starts_at < now
    return rows


def latest_notices(region: Region | None, limit: int = HOME_NOTICES) -> list[Notice]:
    """The newest published notices, pinned first; with a region, those issued for it
    and for the regions above it (a county's residents read the city's and province's)."""
    queryset = Notice.objects.published().select_related("region")
    if region is not None:
        queryset = queryset.filter(region__in=region.ancestors(include_self=True).values("pk"))
    return list(queryset.newest_first()[:limit])


# The "active emergency response" strip: the open real incidents, newest first.
HOME_INCIDENTS = 5


def open_incidents() -> list[Incident]:
    """Open incidents that are not drills (their public pages), newest first."""
    return list(
        Incident.objects.real()
        .open()
        .select_related("region")
        .only("pk", "title", "level", "hazard", "started_at", "region__name")
        .newest_first()[:HOME_INCIDENTS]
    )


AUDIENCES = (
    KeyGroup.YOUTH,
    KeyGroup.FARMERS,
    KeyGroup.WORKERS,
    KeyGroup.ELDERLY,
    KeyGroup.OFFICIALS,
)
AUDIENCE_ICONS = {
    KeyGroup.YOUTH: "star",
    KeyGroup.FARMERS: "home",
    KeyGroup.WORKERS: "building",
    KeyGroup.ELDERLY: "user-check",
    KeyGroup.OFFICIALS: "certificate",
}

# (URL name, label, one-line description, icon): the public services on the home page.
SERVICES = (
    (
        "volunteering:order_new",
        gettext_lazy("Order a volunteer service"),
        gettext_lazy("Ask science volunteers to come to your school, village or community."),
        "send",
    ),
    (
        "people:join_start",
        gettext_lazy("Join as a volunteer"),
        gettext_lazy("Register as a science and technology volunteer."),
        "user-check",
    ),
    (
        "activities:calendar",
        gettext_lazy("Activity calendar"),
        gettext_lazy("Lectures, open days and campaigns, with sign-up."),
        "calendar-event",
    ),
    (
        "resources:map",
        gettext_lazy("Map of venues"),
        gettext_lazy("Science museums, education bases and other places to visit."),
        "map",
    ),
    (
        "resources:emergency",
        gettext_lazy("Emergency science library"),
        gettext_lazy("Earthquakes, floods, fires: what to do, in words and videos."),
        "alert-triangle",
    ),
    (
        "resources:policies",
        gettext_lazy("Policy library"),
        gettext_lazy("Laws, plans and notices on science popularization."),
        "book",
    ),
    (
        "resources:open_data",
        gettext_lazy("Open data"),
        gettext_lazy("The resource catalog as CSV, Excel and JSON files."),
        "file-spreadsheet",
    ),
    (
        "volunteering:verify",
        gettext_lazy("Check a certificate"),
        gettext_lazy("Verify a volunteer service certificate by its number."),
        "shield-check",
    ),
    (
        "plans:public_plan_list",
        gettext_lazy("Plan progress"),
        gettext_lazy("How the science-literacy plans and their targets are advancing."),
        "chart-bar",
    ),
)


def services_tiles() -> list[dict]:
    return [
        {"url": reverse(name), "label": label, "text": text, "icon": icon}
        for name, label, text, icon in SERVICES
    ]


def audience_menus() -> list[dict]:
    return [
        {
            "label": group.label,
            "icon": AUDIENCE_ICONS[group],
            "url": reverse("resources:menu", args=[group.value]),
        }
        for group in AUDIENCES
    ]


@require_safe
@public_page(PUBLIC_TAG, ACTIVITIES_TAG, EMERGENCY_TAG, vary=region_code)
def home(request):
    region = remembered_region(request)
    return render(
        request,
        "portal/home.html",
        {
            "region": region,
            "region_picker": region_picker(region),
            "activities": week_activities(region),
            "incidents": open_incidents(),
            "notices": latest_notices(region),
            "audiences": audience_menus(),
            "services": services_tiles(),
            "calendar_query": f"?region={region.code}" if region else "",
            "suggestions": SUGGESTIONS,
        },
    )


@require_safe
def choose_region(request):
    """Remember the region chosen on the home page (a cookie; no account needed), or
    forget it when none is chosen, and go back to the home page's activities."""
    code = request.GET.get("region", "")
    response = HttpResponseRedirect(reverse("portal:home") + "#near")
    region = Region.objects.filter(code=code).first() if REGION_CODE.fullmatch(code) else None
    if region is not None and region.level > MAX_LEVEL:  # a township: its county
        region = Region.objects.filter(code=region.ancestor_codes[MAX_LEVEL - 1]).first()
    if region is None:
        response.delete_cookie(REGION_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            REGION_COOKIE,
            region.code,
            max_age=COOKIE_DAYS * 24 * 3600,
            samesite="Lax",
            httponly=True,
        )
    return response
