"""Public pages: the incident list (/emergency/) and each incident's page, phone-first,
from the shared cache. The page of an incident gives what to do now: the vetted resources
pushed in the incident, its published rebuttals and the expert Q&A. Drills are never
listed; a drill's page is reachable by its address, marked as an exercise, not indexed."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kepu.core import publiccache
from kepu.core.publiccache import public_page
from kepu.core.views.common import paginate
from kepu.emergency import choices as c
from kepu.emergency.models import ExpertAnswer, Incident, IncidentRegion, Push, Rebuttal
from kepu.emergency.permissions import get_public_incident

CLOSED_PAGE = 20
OPEN_MAX = 50
RESOURCES_MAX = 30
REBUTTALS_MAX = 50
ANSWERS_MAX = 50


def _with_regions(queryset):
    return queryset.select_related("region").prefetch_related(
        Prefetch(
            "affected",
            queryset=IncidentRegion.objects.select_related("region").order_by("region__code"),
        )
    )


@require_safe
@public_page(c.PUBLIC_TAG)
def public_incident_list(request):
    real = Incident.objects.real()
    open_rows = list(_with_regions(real.open().newest_first())[:OPEN_MAX])
    closed = _with_regions(real.filter(status=c.IncidentStatus.CLOSED).newest_first())
    return render(
        request,
        "emergency/public/incident_list.html",
        {"open": open_rows, "page": paginate(request, closed, CLOSED_PAGE)},
    )


@require_safe
def public_incident_detail(request, pk):
    # Whether it exists and is a drill, from the shared cache too (no query per request
    # under a surge): a missing incident is a 404 before the page cache, and a drill's
    # answer carries the header that keeps it out of search engines.
    kind = publiccache.cached_value(
        f"emergency:incident-kind:{int(pk)}", (c.PUBLIC_TAG,), lambda: _incident_kind(pk)
    )
    if kind == "missing":
        raise Http404
    response = _detail_page(request, pk)
    if kind == "drill":
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _incident_kind(pk) -> str:
    drill = Incident.objects.filter(pk=pk).values_list("is_drill", flat=True).first()
    return "missing" if drill is None else ("drill" if drill else "real")


def pushed_resources(incident):
    """The published resources pushed in the incident's pushes, each once."""
    from kepu.resources.models import Resource

    pushed = Push.resources.through.objects.filter(push__incident=incident).values("resource_id")
    return (
        Resource.objects.published()
        .filter(pk__in=pushed)
        .only("pk", "uid", "title", "resource_type", "summary")
        .order_by("title", "pk")[:RESOURCES_MAX]
    )


@public_page(c.PUBLIC_TAG)
def _detail_page(request, pk):
    incident = get_public_incident(pk)
    rebuttals = (
        Rebuttal.objects.published()
        .filter(incident=incident)
        .only("pk", "title", "published_at", "is_drill", "incident_id")
        .order_by("-published_at", "-pk")[:REBUTTALS_MAX]
    )
    answers = (
        ExpertAnswer.objects.filter(incident=incident)
        .select_related("person")
        .only("pk", "question", "answer", "published_at", "person__name", "person__title")
        .order_by("-published_at", "-pk")[:ANSWERS_MAX]
    )
    return render(
        request,
        "emergency/public/incident_detail.html",
        {
            "incident": incident,
            "regions": [
                a.region
                for a in IncidentRegion.objects.filter(incident=incident)
                .select_related("region")
                .order_by("region__code")
            ],
            "resources": list(pushed_resources(incident)),
            "rebuttals": list(rebuttals),
            "answers": list(answers),
        },
    )
