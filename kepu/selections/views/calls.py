"""Pages of calls (calls and entries area): the list with its filters and export, the
notice with its rules in words and timeline, create and edit, and the step button."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kepu.core import clock, exports, scope, workdays
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.selections import choices as c
from kepu.selections.filters.calls import CallFilter
from kepu.selections.forms.calls import CallForm
from kepu.selections.models import Call, Entry
from kepu.selections.permissions import get_call_for_user
from kepu.selections.services import calls as services
from kepu.selections.services.eligibility import describe
from kepu.selections.services.entries import quota_of
from kepu.selections.views.entries import available_routes

CALL = "selections:call_detail"
STEP_LABELS = {
    c.CallStatus.DRAFT: gettext_lazy("Open the call"),
    c.CallStatus.OPEN: gettext_lazy("Close entries"),
    c.CallStatus.CHECKING: gettext_lazy("Close the formal check"),
}


def _filtered(request):
    queryset = visible_to(request.user, Call.objects.for_list())
    filterset = CallFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Call, "view", required=False)
    return filterset


@require_safe
@permission_required("selections.call.view")
def call_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "selections.call")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Call.objects.none()
    return render(
        request,
        "selections/call_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-year", "-pk")),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "selections.call.create"),
            "can_export": has_permission(request.user, "selections.call.export"),
        },
    )


@exports.builder(
    "selections.call", permission="selections.call.export", back="selections:call_list"
)
def call_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("-year", "-pk"),
        action="selections.call.exported",
        title=_("Calls"),
        columns=[
            Column("title", _("Call"), width=36),
            Column("kind", _("Kind"), width=14),
            Column("region", _("Organizing region"), width=14),
            Column("year", _("Year"), width=8),
            Column("window", _("Entries open"), width=24),
            Column("entries", _("Entries"), width=8),
            Column("status", _("Status"), width=14),
        ],
        to_values=lambda call: [
            call.title,
            call.get_kind_display(),
            call.region.name,
            call.year,
            f"{call.opens_on:%Y-%m-%d} — {call.closes_on:%Y-%m-%d}",
            call.entry_count,
            call.get_status_display(),
        ],  # fmt: skip
        basename="calls",
    )


def _call_region(user):
    allowed = scope.allowed_regions(user, Call, "create")
    roots = [r for r in scope.scope_roots(user) if allowed.filter(pk=r.pk).exists()]
    if not roots:
        raise Http404
    return roots[0]


@permission_required("selections.call.create")
def call_create(request):
    region = _call_region(request.user)
    form = CallForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_call(
            actor=request.user, region=region, kind=form.kind(), **form.service_fields()
        ),
        success=lambda call: reverse(CALL, args=[call.pk]),
        message=_("Call saved as a draft. Open it when it is ready."),
        fallback=reverse("selections:call_list"),
    )
    return done or form_page(
        request, "selections/call_form.html", form, {"call": None, "region": region}
    )


@permission_required("selections.call.change")
def call_edit(request, pk):
    call = get_call_for_user(request.user, pk, "change")
    form = CallForm(request.POST or None, instance=call, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.change_call(call, actor=request.user, **form.service_fields()),
        success=reverse(CALL, args=[pk]),
        message=_("Changes saved."),
    )
    if done:
        return done
    call.refresh_from_db()
    return form_page(
        request, "selections/call_form.html", form, {"call": call, "region": call.region}
    )


def timeline(call, today):
    """[(label, date, working days left or None)] of the call's deadlines."""
    rows = [
        (_("Entries open"), call.opens_on),
        (_("Entries close"), call.closes_on),
        (_("Formal check by"), call.check_by),
        (_("Expert review by"), call.review_by),
        (_("Public notice from"), call.publicity_from),
        (_("Public notice until"), call.publicity_to),
    ]
    out = []
    for label, day in rows:
        if day is None:
            continue
        left = workdays.working_days_between(today, day) if day >= today else None
        out.append((label, day, left))
    return out


def _quota_rows(call):
    per_region = dict((call.quotas or {}).get("per_region") or {})
    default = per_region.pop("default", None)
    names = dict(Region.objects.filter(code__in=list(per_region)).values_list("code", "name"))
    return default, [(names.get(code, code), n) for code, n in sorted(per_region.items())]


def _my_quota(user, call):
    """(region, used, quota) for an officer below the call's region, else None."""
    for root in scope.scope_roots(user):
        if root.path.startswith(call.region.path) and root.path != call.region.path:
            limit = quota_of(call, root)
            used = call.entries.live().filter(route=c.Route.REGION, nominating_region=root)
            return root, used.count(), limit
    return None


@require_safe
@permission_required("selections.call.view")
def call_detail(request, pk):
    call = get_call_for_user(request.user, pk)
    user, today = request.user, clock.today()
    counts = dict(
        visible_to(user, Entry, public=False)
        .filter(call=call)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    officer = scope.can(user, call, "advance")
    years = {d.year for d in (call.opens_on, call.closes_on, call.check_by, call.review_by) if d}
    default_quota, region_quotas = _quota_rows(call)
    return render(
        request,
        "selections/call_detail.html",
        {
            "call": call,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in c.EntryStatus.choices
            ],
            "officer": officer,
            "step_label": STEP_LABELS.get(call.status) if officer else None,
            "can_change": call.can_change() and scope.can(user, call, "change"),
            "can_nominate": call.is_open_on(today)
            and has_permission(user, "selections.entry.create")
            and bool(available_routes(user, call)),
            "can_check": officer and call.status in (c.CallStatus.OPEN, c.CallStatus.CHECKING),
            "rules": describe(call.eligibility),
            "routes": [c.Route(r).label for r in call.routes or [] if r in c.Route.values],
            "default_quota": default_quota,
            "region_quotas": region_quotas,
            "category_quotas": [
                (call.category_label(k), v)
                for k, v in ((call.quotas or {}).get("per_category") or {}).items()
            ],
            "unit_quota": (call.quotas or {}).get("per_unit"),
            "my_quota": _my_quota(user, call),
            "timeline": timeline(call, today),
            "uncovered": sorted(y for y in years if not workdays.covered(y)),
            "criteria": call.rubric.criteria.all(),
        },
    )


@require_POST
@permission_required("selections.call.advance")
def call_advance(request, pk):
    call = get_call_for_user(request.user, pk, "advance")
    return run_step(
        request,
        lambda: services.advance_call(call, actor=request.user),
        back=reverse(CALL, args=[pk]),
        message=lambda done: (
            _("The call is now: %(status)s.") % {"status": done.get_status_display()}
        ),
    )
