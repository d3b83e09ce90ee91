"""Information officers' work (seeds 003 (十一), 001 四(三)3, 004 (23)): the activity log
(with Excel import and export), the rankings of regions and officers, and the monthly
feedback page of a region, which its officers send to the regions below. Every figure is
read from the monthly rows (`OfficerMonth`, `OfficerPersonMonth`), never aggregated here."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, exports
from kepu.core.excel import Column, export_response
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
)
from kepu.core.views.dashboard import focus_region, scope_breadcrumbs
from kepu.people import officers as services
from kepu.people.filters import OfficerActivityFilter, parse_month
from kepu.people.models import OfficerActivity, OfficerFeedback, OfficerMonth, OfficerPersonMonth
from kepu.people.officer_io import activity_export_columns, activity_export_values

TOP_PEOPLE = 20
# The figures a ranking orders by (the seed's 注册量, 人口占比, 月活量, 传播量).
RANKINGS = {
    "registrations": gettext_lazy("Registered officers"),
    "per_10k": gettext_lazy("Per 10,000 residents"),
    "actives": gettext_lazy("Monthly actives"),
    "shares": gettext_lazy("Shares"),
}


def _activity_filter(request):
    queryset = visible_to(request.user, OfficerActivity.objects.with_relations())
    filterset = OfficerActivityFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, OfficerActivity, "view", required=False
    )
    return filterset


@require_safe
@permission_required("people.officeractivity.view")
def activity_list(request):
    filterset = _activity_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else OfficerActivity.objects.none()
    user = request.user
    return render(
        request,
        "people/officer_activity_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "can_import": has_permission(user, "people.officeractivity.import"),
            "can_export": has_permission(user, "people.officeractivity.export"),
        },
    )


@exports.builder(
    "people.officeractivity",
    permission="people.officeractivity.export",
    back="people:officer_activity_list",
)
def activity_export_rows(request):
    filterset = _activity_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export"),
        action="people.officeractivity.exported",
        title=_("Information officers' activity"),
        columns=activity_export_columns(),
        to_values=activity_export_values,
        basename="officer-activity",
    )


@require_safe
@permission_required("people.officeractivity.export")
def activity_export(request):
    return export_list(request, "people.officeractivity")


# --- monthly figures ---------------------------------------------------------------------


def _months():
    return list(
        OfficerMonth.objects.order_by("-month").values_list("month", flat=True).distinct()[:36]
    )


def _month(request, months):
    asked = parse_month(request.GET.get("month"))
    if asked is not None:
        return asked
    return months[0] if months else None


def _children(user, focus, month):
    return list(
        visible_to(user, OfficerMonth.objects.select_related("region"))
        .filter(parent=focus, month=month)
        .order_by("region__code")
    )


@require_safe
@permission_required("people.officermonth.view")
def rankings(request):
    focus = focus_region(request)
    months = _months()
    month = _month(request, months)
    by = request.GET.get("by") if request.GET.get("by") in RANKINGS else "registrations"
    rows = _children(request.user, focus, month) if focus and month else []
    rows.sort(key=lambda r: (getattr(r, f"rank_{by}") is None, getattr(r, f"rank_{by}") or 0))
    people = []
    if focus is not None and month is not None:
        officers = visible_to(
            request.user, OfficerPersonMonth.objects.select_related("person", "region")
        ).filter(month=month)
        if focus.level == 2:
            officers = officers.filter(city_id=focus.pk)
        elif focus.level >= 3:
            officers = officers.filter(county_id=focus.pk)
        people = list(officers.order_by("-shares", "-views", "pk")[:TOP_PEOPLE])
    return render(
        request,
        "people/officer_rankings.html",
        {
            "focus": focus,
            "month": month,
            "months": months,
            "by": by,
            "rankings": list(RANKINGS.items()),
            "rows": rows,
            "people": people,
            "breadcrumbs": scope_breadcrumbs(request.user, focus),
        },
    )


def _feedback_context(request):
    focus = focus_region(request)
    months = _months()
    month = _month(request, months)
    own = None
    rows = []
    if focus is not None and month is not None:
        own = (
            visible_to(request.user, OfficerMonth.objects.select_related("region"))
            .filter(region=focus, month=month)
            .first()
        )
        rows = _children(request.user, focus, month)
    return focus, months, month, own, rows


@require_safe
@permission_required("people.officermonth.view")
def feedback(request):
    focus, months, month, own, rows = _feedback_context(request)
    sent = received = None
    if focus is not None and month is not None:
        sent = OfficerFeedback.objects.filter(region=focus, month=month).first()
        if focus.parent_id:
            received = OfficerFeedback.objects.filter(
                region_id=focus.parent_id, month=month
            ).first()
    return render(
        request,
        "people/officer_feedback.html",
        {
            "focus": focus,
            "month": month,
            "months": months,
            "own": own,
            "rows": rows,
            "sent": sent,
            "received": received,
            "can_send": bool(rows)
            and focus.level < 3
            and has_permission(request.user, "people.officerfeedback.send"),
            "breadcrumbs": scope_breadcrumbs(request.user, focus),
        },
    )


@require_POST
@permission_required("people.officerfeedback.send")
def feedback_send(request):
    region = Region.objects.filter(code=request.POST.get("region", "")).first()
    month = parse_month(request.POST.get("month"))
    if region is None or month is None:
        raise Http404
    if not visible_to(request.user, OfficerMonth).filter(region=region, month=month).exists():
        raise Http404
    back = f"{reverse('people:officer_feedback')}?region={region.code}&month={month:%Y-%m}"
    return run_step(
        request,
        lambda: services.send_feedback(
            region, month, actor=request.user, note=request.POST.get("note", "")
        ),
        back=back,
        message=_("The feedback for %(month)s was sent to the regions below.")
        % {"month": f"{month:%Y-%m}"},
    )


@require_safe
@permission_required("people.officermonth.export")
def feedback_export(request):
    focus, _months_, month, own, rows = _feedback_context(request)
    if focus is None or month is None:
        raise Http404
    columns = [
        Column("region", _("Region")),
        Column("code", _("Region code")),
        Column("registrations", _("Registered officers"), text=False, width=12),
        Column("new", _("New this month"), text=False, width=12),
        Column("population", _("Resident population"), text=False, width=14),
        Column("per_10k", _("Per 10,000 residents"), text=False, width=12),
        Column("actives", _("Monthly actives"), text=False, width=12),
        Column("activities", _("Items shared"), text=False, width=12),
        Column("views", _("Views"), text=False, width=12),
        Column("shares", _("Shares"), text=False, width=12),
        Column("rank_registrations", _("Rank: registered"), text=False, width=10),
        Column("rank_per_10k", _("Rank: per 10,000"), text=False, width=10),
        Column("rank_actives", _("Rank: actives"), text=False, width=10),
        Column("rank_shares", _("Rank: shares"), text=False, width=10),
    ]
    audit.record(
        "people.officermonth.exported",
        object_type="people.officermonth",
        region_code=focus.code,
        detail={"region": focus.code, "month": f"{month:%Y-%m}", "rows": len(rows)},
    )

    def values(row):
        return [
            row.region.name,
            row.region.code,
            row.registrations,
            row.new_registrations,
            row.population,
            row.per_10k,
            row.actives,
            row.activities,
            row.views,
            row.shares,
            row.rank_registrations,
            row.rank_per_10k,
            row.rank_actives,
            row.rank_shares,
        ]

    items = [*rows, own] if own else rows
    name = f"officer-feedback-{focus.code}-{month:%Y%m}.xlsx"
    return export_response(str(_("Monthly feedback")), columns, iter(items), values, name)
