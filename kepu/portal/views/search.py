"""Unified search (站内搜索) over everything public: upcoming activities, venues and
bases, catalog resources, policy documents and notices.

One indexed query per type through the Chinese bigram search (`core.search`; the
activities' stored vector on PostgreSQL): the first few rows in the order of that type's
own list, and a capped count, so no request counts a whole province. Each group links to
its own list with the words. Personal profiles are not searched: the platform has no
public expert profile, and the people registry is never public.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kepu.activities.models import Activity
from kepu.activities.services import PUBLIC_TAG as ACTIVITIES_TAG
from kepu.core.pagination import capped_count, count_label
from kepu.core.publiccache import public_page
from kepu.core.search import query_terms
from kepu.core.search import search as full_text
from kepu.portal.models import Notice
from kepu.portal.services import PUBLIC_TAG
from kepu.portal.views.home import SUGGESTIONS
from kepu.resources import choices as rc
from kepu.resources.models import Resource
from kepu.resources.rollups import PUBLIC_TAG as RESOURCES_TAG

MAX_QUERY = 100  # characters of q that are read
MAX_TERMS = 5
PER_TYPE = 5
COUNT_CAP = 100  # "100+" beyond


def clean_query(raw: str) -> str:
    """The words searched for: at most MAX_TERMS words of the first MAX_QUERY characters;
    "" when nothing searchable is left (punctuation only)."""
    words = (raw or "")[:MAX_QUERY].split()[:MAX_TERMS]
    query = " ".join(words)
    return query if query_terms(query) else ""


def _resources(q: str):
    return full_text(Resource.objects.published(), q, fields=Resource.SEARCH_FIELDS)


def _first_rows(queryset, order, n_matches, capped):
    """The first PER_TYPE rows in `order`. With many matches the order's own index finds
    them at once. With few, the planner may still walk that index, filtering every row
    for the words (0.2 s over the province's 85,000 resources for a word found nowhere):
    then the matches, at most COUNT_CAP of them and found through the search index, are
    read unordered and sorted here."""
    if capped:
        return list(queryset.order_by(*order)[:PER_TYPE])
    if not n_matches:
        return []
    rows = list(queryset.order_by()[:COUNT_CAP])
    for field in reversed(order):  # stable sorts, last key first
        name = field.lstrip("-")
        present = [r for r in rows if getattr(r, name) is not None]
        missing = [r for r in rows if getattr(r, name) is None]
        present.sort(key=lambda r, name=name: getattr(r, name), reverse=field.startswith("-"))
        rows = present + missing  # no date yet: last, as "nulls last"
    return rows[:PER_TYPE]


def _group(key, title, icon, queryset, order, more_url, *, related=()):
    # The capped count first: it is read from the search index, and it tells which way
    # the first rows are cheaper to find.
    n, capped = capped_count(queryset, COUNT_CAP)
    rows = _first_rows(queryset.select_related(*related), order, n, capped)
    return {
        "key": key,
        "title": title,
        "icon": icon,
        "rows": rows,
        "count": n,
        "count_label": count_label(n, capped),
        "more_url": more_url,
    }


def search_groups(q: str) -> list[dict]:
    with_q = "?" + urlencode({"q": q})
    resources = _resources(q)
    return [
        _group(
            "activities",
            _("Upcoming activities"),
            "calendar-event",
            Activity.objects.upcoming().search(q),
            ("starts_at", "pk"),
            reverse("activities:calendar") + with_q,
            related=("region", "organization"),
        ),
        _group(
            "venues",
            _("Venues and education bases"),
            "map-pin",
            resources.filter(resource_type=rc.ResourceType.PLACE),
            ("-published_at", "-pk"),
            reverse("resources:public_search") + "?" + urlencode({"q": q, "type": "place"}),
            related=("region",),
        ),
        _group(
            "resources",
            _("Science resources"),
            "book",
            resources.exclude(resource_type__in=(rc.ResourceType.PLACE, rc.ResourceType.POLICY)),
            ("-published_at", "-pk"),
            reverse("resources:public_search") + with_q,
            related=("region",),
        ),
        _group(
            "policies",
            _("Policy documents"),
            "file-text",
            resources.filter(resource_type=rc.ResourceType.POLICY),
            ("-published_at", "-pk"),
            reverse("resources:policies") + with_q,
            related=("region",),
        ),
        _group(
            "notices",
            _("Notices"),
            "clipboard-list",
            Notice.objects.published().search(q),
            ("-published_at", "-pk"),
            reverse("portal:public_notice_list") + with_q,
            related=("region",),
        ),
    ]


@require_safe
@public_page(PUBLIC_TAG, ACTIVITIES_TAG, RESOURCES_TAG)
def search(request):
    raw = request.GET.get("q", "")
    q = clean_query(raw)
    groups = search_groups(q) if q else []
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "asked": bool(raw.strip()),
            "groups": groups,
            "found": [g for g in groups if g["rows"]],
            "suggestions": SUGGESTIONS,
        },
    )
