"""Campaigns (with their dashboard), mobile facilities (with their tour schedule) and the
activity statistics."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kepu.activities import choices as c
from kepu.activities import services, stats
from kepu.activities.filters import CampaignFilter, FacilityFilter
from kepu.activities.forms import CampaignForm, FacilityForm
from kepu.activities.models import Activity, Campaign, MobileFacility
from kepu.activities.permissions import get_campaign_for_user, get_facility_for_user
from kepu.core import audit, periods, scope
from kepu.core.excel import Column, export_response
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    submit_form,
)
from kepu.core.views.dashboard import focus_region, scope_breadcrumbs

# --- campaigns --------------------------------------------------------------------------


@require_safe
@permission_required("activities.campaign.view")
def campaign_list(request):
    visible = visible_to(request.user, Campaign.objects.select_related("region"))
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    params = request.GET.copy()
    if not params.get("year") and years:
        # This year's campaigns, or the latest year's, when no year is asked.
        this_year = timezone.localdate().year
        params["year"] = str(this_year if this_year in years else years[0])
    filterset = CampaignFilter(params or None, queryset=visible)
    queryset = filterset.qs if filter_is_usable(filterset) else Campaign.objects.none()
    year, kind = params.get("year", ""), params.get("kind", "")
    activities = visible_to(request.user, Activity, public=False)
    counted = {
        row["campaign"]: row
        for row in stats.campaign_counts(activities.filter(campaign__in=queryset))
    }
    return render(
        request,
        "activities/campaign_list.html",
        {
            "campaigns": [(x, counted.get(x.pk, {})) for x in queryset.order_by("start_date")],
            "filter": filterset,
            "years": years,
            "year": year,
            "kind": kind,
            "kinds": c.CampaignKind.choices,
            "can_create": has_permission(request.user, "activities.campaign.create"),
            "today": timezone.localdate(),
        },
    )


@permission_required("activities.campaign.create")
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.create_campaign(actor=request.user, **form.cleaned_data),
        success=lambda campaign: reverse("activities:campaign_detail", args=[campaign.pk]),
        message=lambda campaign: _("Campaign “%(name)s” created.") % {"name": campaign.name},
        fallback=reverse("activities:campaign_list"),
    )
    return response or form_page(request, "activities/campaign_form.html", form)


@permission_required("activities.campaign.change")
def campaign_update(request, pk):
    campaign = get_campaign_for_user(request.user, pk, "change")
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.update_campaign(campaign, actor=request.user, **form.cleaned_data),
        success=reverse("activities:campaign_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return response or form_page(
        request, "activities/campaign_form.html", form, {"campaign": campaign}
    )


@require_safe
@permission_required("activities.campaign.view")
def campaign_detail(request, pk):
    """The campaign dashboard: activities by status and region, audience, pass rate."""
    campaign = get_campaign_for_user(request.user, pk)
    focus = focus_region(request)
    context = _stats_context(request, focus, campaign=campaign)
    context.update(
        campaign=campaign,
        can_change=scope.can(request.user, campaign, "change"),
        recent=visible_to(
            request.user, Activity.objects.select_related("region", "organization"), public=False
        )
        .filter(campaign=campaign, status=c.ActivityStatus.PUBLISHED)
        .order_by("-starts_at")[:10],
    )
    return render(request, "activities/campaign_detail.html", context)


# --- statistics -------------------------------------------------------------------------


def _period(request):
    """The period asked for (`?year=2025`, or `?period=quarter&year=2025&quarter=3` …),
    this year by default; a request that cannot be understood says why."""
    period, errors = periods.parse_period(request.GET, default_kind=periods.YEAR)
    for error in errors:
        messages.warning(request, error)
    return period


def _stats_context(request, focus, *, campaign=None):
    period = None if campaign else _period(request)
    figures = stats.overview(request.user, focus, campaign=campaign, period=period)
    rows, total = figures["rows"], figures["total"]
    groups, topics = figures["groups"], figures["topics"]
    chart = {
        "regions": [r.name for r, _f in rows],
        "held": [f["held"] for _r, f in rows],
        "onsite": [f["onsite"] for _r, f in rows],
        "online": [f["online"] for _r, f in rows],
        "pass_rate": [f["pass_rate"] for _r, f in rows],
        "groups": [{"name": str(g["label"]), "value": g["n"]} for g in groups],
        "topics": [{"name": str(t["label"]), "value": t["n"]} for t in topics],
        "labels": {
            "held": _("Activities held"),
            "onsite": _("On-site audience"),
            "online": _("Online views"),
            "pass_rate": _("Review pass rate (%)"),
        },
    }
    return {
        "focus": focus,
        "rows": rows,
        "total": total,
        "groups": groups,
        "topics": topics,
        "organizers": figures["organizers"],
        "statuses": figures["statuses"],
        "chart_data": chart,
        "breadcrumbs": scope_breadcrumbs(request.user, focus),
        "period": period,
        "year": period.first.year if period else None,
        "period_query": urlencode(period.params()) if period else "",
    }


@require_safe
@permission_required("activities.dashboard.view")
def stats_view(request):
    focus = focus_region(request)
    context = _stats_context(request, focus)
    context["choices"] = periods.picker(
        context["period"], kinds=(periods.YEAR, periods.QUARTER, periods.MONTH, periods.CUSTOM)
    )
    return render(request, "activities/stats.html", context)


@require_safe
@permission_required("activities.dashboard.view")
def stats_export(request):
    focus = focus_region(request)
    period = _period(request)
    rows, total = stats.by_region(request.user, focus, period=period) if focus else ([], {})
    columns = [
        Column("region", _("Region")),
        Column("code", _("Region code")),
        *(Column(key, str(label), text=False, width=12) for key, label in STAT_COLUMNS),
        Column("pass_rate", _("Review pass rate (%)"), text=False, width=12),
    ]
    audit.record(
        "activities.stats.exported",
        object_type="activities.activity",
        detail={"region": focus.code if focus else "", **period.audit_detail(), "rows": len(rows)},
    )
    items = [*rows, (focus, total)] if focus else []

    def values(item):
        region, f = item
        return [
            region.name,
            region.code,
            *(f.get(k, 0) for k, _l in STAT_COLUMNS),
            f.get("pass_rate"),
        ]

    name = f"activity-stats-{focus.code if focus else ''}-{period.slug}.xlsx"
    return export_response(str(_("Activity statistics")), columns, iter(items), values, name)


STAT_COLUMNS = [
    ("published", gettext_lazy("Published")),
    ("held", gettext_lazy("Held")),
    ("pending", gettext_lazy("Awaiting review")),
    ("onsite", gettext_lazy("On-site audience")),
    ("online", gettext_lazy("Online views")),
    ("reported", gettext_lazy("Reports filed")),
    ("late", gettext_lazy("Reports late or overdue")),
    ("decided", gettext_lazy("Reviews")),
    ("approved", gettext_lazy("Approved")),
]


# --- mobile facilities ------------------------------------------------------------------


@require_safe
@permission_required("activities.mobilefacility.view")
def facility_list(request):
    filterset = FacilityFilter(
        request.GET or None,
        queryset=visible_to(
            request.user, MobileFacility.objects.select_related("region", "organization")
        ),
    )
    queryset = filterset.qs if filter_is_usable(filterset) else MobileFacility.objects.none()
    # The stop count and the next stop of every facility in two queries, not two per row.
    stops = visible_to(request.user, Activity).filter(status__in=c.LIVE_STATUSES)
    counts = (
        stops.filter(facility=OuterRef("pk"))
        .order_by()
        .values("facility")
        .annotate(n=Count("pk"))
        .values("n")
    )
    upcoming = stops.filter(facility=OuterRef("pk"), ends_at__gte=timezone.now())
    rows = list(
        queryset.annotate(
            stop_count=Coalesce(Subquery(counts), 0),
            next_pk=Subquery(upcoming.order_by("starts_at").values("pk")[:1]),
        ).order_by("region__code", "name")
    )
    next_stops = Activity.objects.select_related("region").in_bulk(
        [f.next_pk for f in rows if f.next_pk]
    )
    facilities = [(f, next_stops.get(f.next_pk), f.stop_count) for f in rows]
    return render(
        request,
        "activities/facility_list.html",
        {
            "facilities": facilities,
            "filter": filterset,
            "can_create": has_permission(request.user, "activities.mobilefacility.create"),
        },
    )


def _facility_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["organization"] = data.pop("organization_ref")
    return data


@permission_required("activities.mobilefacility.create")
def facility_create(request):
    form = FacilityForm(request.POST or None, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.create_facility(actor=request.user, **_facility_fields(form)),
        success=lambda facility: reverse("activities:facility_detail", args=[facility.pk]),
        message=lambda facility: _("“%(name)s” added.") % {"name": facility.name},
        fallback=reverse("activities:facility_list"),
    )
    return response or form_page(request, "activities/facility_form.html", form)


@permission_required("activities.mobilefacility.change")
def facility_update(request, pk):
    facility = get_facility_for_user(request.user, pk, "change")
    form = FacilityForm(request.POST or None, instance=facility, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.update_facility(facility, actor=request.user, **_facility_fields(form)),
        success=reverse("activities:facility_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return response or form_page(
        request, "activities/facility_form.html", form, {"facility": facility}
    )


@require_safe
@permission_required("activities.mobilefacility.view")
def facility_detail(request, pk):
    """The tour schedule: every stop, in order. Stops in the user's scope link to the
    back office; the others are shown as published on the portal."""
    facility = get_facility_for_user(request.user, pk)
    own = set(
        visible_to(request.user, Activity, public=False)
        .filter(facility=facility)
        .values_list("pk", flat=True)
    )
    stops = (
        visible_to(request.user, Activity.objects.select_related("region", "report"))
        .filter(facility=facility)
        .exclude(status=c.ActivityStatus.REJECTED)
        .order_by("starts_at")
    )
    return render(
        request,
        "activities/facility_detail.html",
        {
            "facility": facility,
            "stops": paginate(request, stops, per_page=50),
            "own": own,
            "can_change": scope.can(request.user, facility, "change"),
            "can_add_stop": has_permission(request.user, "activities.activity.create")
            and scope.can(request.user, facility, "book"),
            "now": timezone.now(),
        },
    )
