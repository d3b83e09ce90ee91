"""Back-office pages of service orders: the list with its filters and export, the order
page with the steps the user may take (派单, 领单, 接单, return, reject, complete,
close) and the matching suggestions that help take them, and the volunteers' own tasks
with check-in and check-out on a phone."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.choices import KeyGroup
from kepu.core.models import Region
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.core.widgets import RegionCascadeWidget
from kepu.people.models import Person
from kepu.volunteering import choices as c
from kepu.volunteering import figures, matching, services
from kepu.volunteering.filters import AssignmentFilter, OrderFilter
from kepu.volunteering.forms import (
    OrderAcceptForm,
    OrderClaimForm,
    OrderCloseForm,
    OrderDispatchForm,
    OrderReasonForm,
    own_person,
)
from kepu.volunteering.io import order_columns, order_values
from kepu.volunteering.models import Assignment, ServiceOrder
from kepu.volunteering.permissions import (
    get_assignment_for_user,
    get_order_for_user,
    orders_for_user,
)

S = c.OrderStatus
A = c.OrderAction

# The steps a user takes on the order page, in the order the page offers them.
USER_STEPS = (A.DISPATCH, A.CLAIM, A.ACCEPT, A.COMPLETE, A.CLOSE, A.RETURN, A.REJECT)
STEP_MESSAGES = {
    A.DISPATCH: lambda: _("Dispatched."),
    A.CLAIM: lambda: _("Claimed and passed to the team."),
    A.ACCEPT: lambda: _("Accepted; the volunteers see the service in their tasks."),
    A.COMPLETE: lambda: _("Service completed; the volunteers' hours are confirmed."),
    A.CLOSE: lambda: _("The order is closed."),
    A.RETURN: lambda: _("Returned with your reason."),
    A.REJECT: lambda: _("The order has been rejected."),
}
SUGGESTED_VOLUNTEERS_SHOWN = 12
MAX_MEMBERS_LISTED = 300


# --- the list and the export --------------------------------------------------------------


def _region_roots(user):
    return scope_roots(user) or list(Region.objects.roots())


def _filtered(request, data=None, queryset=None):
    queryset = queryset if queryset is not None else orders_for_user(request.user)
    filterset = OrderFilter(request.GET if data is None else data, queryset=queryset)
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=_region_roots(request.user), empty_label=_("All")
    )
    return filterset


def _status_counts(request):
    """Orders per status under the other filters (the status filter left out), from the
    counters; the counts are None under filters the counters do not hold."""
    data = request.GET.copy()
    for key in ("status", "page", "after"):
        data.pop(key, None)
    filterset = _filtered(request, data=data)
    if not filter_is_usable(filterset):
        return [], 0
    code = filterset.form.cleaned_data.get("region")
    region = Region.objects.filter(code=code).first() if code else None
    counts = figures.order_status_counts(request.user, data, region, filterset.qs)
    base = data.urlencode()
    rows = [
        {
            "status": value,
            "label": label,
            "count": None if counts is None else counts.get(value, 0),
            "query": f"{base}&status={value}" if base else f"status={value}",
        }
        for value, label in S.choices
    ]
    return rows, None if counts is None else sum(counts.values())


@require_safe
@permission_required("volunteering.serviceorder.view")
def order_list(request):
    filterset = _filtered(request)
    usable = filter_is_usable(filterset)
    queryset = filterset.qs if usable else ServiceOrder.objects.none()
    counts, total = _status_counts(request)
    without_status = request.GET.copy()
    without_status.pop("status", None)
    without_status.pop("page", None)
    return render(
        request,
        "volunteering/order_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset.order_by("-submitted_at", "-pk")),
            "query": query_without_page(request),
            "counts": counts,
            "total": total,
            "all_query": without_status.urlencode(),
            "status": request.GET.get("status", ""),
            "statuses": S.choices,
            "categories": c.ServiceCategory.choices,
            "groups": KeyGroup.choices,
            "can_export": has_permission(request.user, "volunteering.serviceorder.export"),
        },
    )


@exports.builder(
    "volunteering.serviceorder",
    permission="volunteering.serviceorder.export",
    back="volunteering:order_list",
)
def order_export_rows(request):
    filterset = _filtered(
        request,
        queryset=ServiceOrder.objects.select_related(
            "region", "department", "team", "escalated_to", "requester_organization"
        ),
    )
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export")
    return exports.Rows(
        queryset=queryset.order_by("submitted_at", "pk"),
        action="volunteering.serviceorder.exported",
        title=_("Service orders"),
        columns=order_columns(),
        to_values=order_values,
        basename="service-orders",
    )


@require_safe
@permission_required("volunteering.serviceorder.export")
def order_export(request):
    return export_list(request, "volunteering.serviceorder")


# --- the order page --------------------------------------------------------------------------


def _permission(order, step) -> str:
    return services.STEP_PERMISSION.get(step) or services.return_permission(order)


def _members(order):
    if order.team_id is None:
        return Person.objects.none()
    return Person.objects.filter(team_memberships__team_id=order.team_id).select_related("region")


def _step_form(user, order, step, data=None):
    """The (unbound or bound) form of a step; None for a step without fields."""
    if step == A.DISPATCH:
        return OrderDispatchForm(
            data,
            departments=services.dispatch_departments(order),
            teams=services.covering_teams(order),
        )
    if step == A.CLAIM:
        return OrderClaimForm(data, teams=services.claim_teams(order))
    if step == A.ACCEPT:
        return OrderAcceptForm(data, members=_members(order))
    if step in (A.RETURN, A.REJECT):
        return OrderReasonForm(data, prefix=str(step))
    if step == A.CLOSE:
        return OrderCloseForm(data, prefix="close")
    return None


def _available_steps(user, order) -> list[str]:
    allowed = {}
    steps = []
    for step in USER_STEPS:
        if order.status not in services.TRANSITIONS[step][0]:
            continue
        action = _permission(order, step)
        if action not in allowed:
            allowed[action] = scope.can(user, order, action)
        if allowed[action]:
            steps.append(str(step))
    return steps


def _accept_rows(order, form):
    """The team's members for the acceptance form: the matching suggestions first, with
    their score and reasons, then the other members."""
    suggestions = matching.suggest_volunteers(order, limit=MAX_MEMBERS_LISTED)
    suggested = {s.obj.pk for s in suggestions}
    others = list(_members(order).exclude(pk__in=suggested).order_by("name")[:MAX_MEMBERS_LISTED])
    chosen = set()
    if form.is_bound:
        chosen = {str(v) for v in form.data.getlist(f"{form.prefix}-volunteers")}
    rows = [
        {
            "person": s.obj,
            "score": s.score,
            "reasons": s.reasons,
            "checked": str(s.obj.pk) in chosen,
        }
        for s in suggestions
    ]
    rows += [
        {
            "person": p,
            "score": None,
            "reasons": [_("not a certified volunteer")],
            "checked": str(p.pk) in chosen,
        }
        for p in others
    ]
    return rows[:SUGGESTED_VOLUNTEERS_SHOWN], rows[SUGGESTED_VOLUNTEERS_SHOWN:]


def staff_timeline(order):
    """Every step of the order, with who took it and their note."""
    return [
        {
            "action": e.action,
            "label": e.get_action_display(),
            "at": e.at,
            "who": e.shown_actor_label,
            "note": e.note,
        }
        for e in order.events.all()
    ]


def _detail_context(request, order, bound=None):
    user = request.user
    bound = bound or {}
    steps = _available_steps(user, order)
    forms = {step: bound.get(step) or _step_form(user, order, step) for step in steps}
    context = {
        "order": order,
        "timeline": staff_timeline(order),
        "assignments": order.assignments.select_related("person", "hour_entry"),
        "checkin_ids": set(
            visible_to(user, Assignment, "checkin").filter(order=order).values_list("pk", flat=True)
        ),
        "steps": steps,
        **{f"{step}_form": form for step, form in forms.items()},
    }
    if A.DISPATCH in steps:
        context["team_suggestions"] = matching.suggest_teams(order)
    if A.ACCEPT in steps:
        context["accept_top"], context["accept_more"] = _accept_rows(order, forms["accept"])
    return context


@never_cache
@require_safe
@permission_required("volunteering.serviceorder.view")
def order_detail(request, pk):
    order = get_order_for_user(request.user, pk)
    return render(request, "volunteering/order_detail.html", _detail_context(request, order))


def _apply(order, step, user, data):
    if step == A.DISPATCH:
        return services.dispatch(
            order, actor=user, department=data.get("department"), team=data.get("team")
        )
    if step == A.CLAIM:
        return services.claim(order, actor=user, team=data["team"])
    if step == A.ACCEPT:
        return services.accept(order, actor=user, volunteers=data["volunteers"])
    if step == A.COMPLETE:
        return services.complete(order, actor=user)
    if step == A.CLOSE:
        return services.close(order, actor=user, note=data.get("note", ""))
    if step == A.RETURN:
        return services.return_order(order, actor=user, reason=data.get("reason", ""))
    return services.reject(order, actor=user, reason=data.get("reason", ""))


@require_POST
@permission_required("volunteering.serviceorder.view")
def order_step(request, pk, step):
    if step not in USER_STEPS:
        raise Http404
    user = request.user
    order = get_order_for_user(user, pk)
    order = get_order_for_user(user, pk, _permission(order, step))
    detail_url = reverse("volunteering:order_detail", args=[order.pk])
    if order.status not in services.TRANSITIONS[step][0]:
        messages.error(
            request,
            _("This order is “%(status)s”; that step is not possible now.")
            % {"status": order.get_status_display()},
        )
        return redirect(detail_url)
    form = _step_form(user, order, step, request.POST)
    message = STEP_MESSAGES[step]()
    if form is None:
        return run_step(
            request, lambda: _apply(order, step, user, {}), back=detail_url, message=message
        )
    response = submit_form(
        request,
        form,
        lambda: _apply(order, step, user, form.cleaned_data),
        success=detail_url,
        message=message,
    )
    if response is not None:
        return response
    order = get_order_for_user(user, pk)
    context = _detail_context(request, order, bound={str(step): form})
    context["failed_step"] = str(step)
    return render(request, "volunteering/order_detail.html", context, status=400)


# --- a volunteer's tasks: check-in and check-out on a phone ----------------------------------

CURRENT = (S.ACCEPTED, S.IN_SERVICE)


TASKS_PER_PAGE = 5  # the upcoming tasks: large cards with the check-in button
PAST_PER_PAGE = 20  # the past ones: one line each


@never_cache
@require_safe
@permission_required("volunteering.assignment.checkin")
def my_tasks(request):
    """A volunteer's tasks on a phone, a page at a time: the upcoming and in-service ones
    (soonest first, with the check-in and check-out buttons), or the past ones (latest
    first), by service category (the assignment list's FilterSet, as the API)."""
    user = request.user
    person = own_person(user)
    data = request.GET.copy()
    done = data.get("open") == "false"
    data["open"] = "false" if done else "true"
    mine = (
        visible_to(user, Assignment)
        .filter(person=person)
        .select_related("order", "order__region", "order__team", "hour_entry")
        if person is not None
        else Assignment.objects.none()
    )
    filterset = AssignmentFilter(data, queryset=mine, request=request)
    rows = filterset.qs if filter_is_usable(filterset) else Assignment.objects.none()
    ordering = ("-order__window_start", "-pk") if done else ("order__window_start", "pk")
    page = paginate(request, rows.order_by(*ordering), PAST_PER_PAGE if done else TASKS_PER_PAGE)
    awaiting = []
    if person is not None and not done and not page.has_previous():
        awaiting = list(
            orders_for_user(user, "accept")
            .filter(team__leader=person, status__in=(S.AWAITING_TEAM, *CURRENT))
            .order_by("window_start", "pk")[:30]
        )
    category = filterset.form.cleaned_data.get("category") if filterset.is_bound else ""
    return render(
        request,
        "volunteering/my_tasks.html",
        {
            "person": person,
            "page": page,
            "done": done,
            "awaiting": awaiting,
            "filter": filterset,
            "category": category or "",
            "categories": c.ServiceCategory.choices,
            "query": query_without_page(request),
        },
    )


CHECK_STEPS = {
    "checkin": (services.check_in, lambda: _("Checked in. Thank you for serving!")),
    "checkout": (services.check_out, lambda: _("Checked out; your hours are recorded.")),
}


@require_POST
@permission_required("volunteering.assignment.checkin")
def task_check(request, pk, step):
    if step not in CHECK_STEPS:
        raise Http404
    assignment = get_assignment_for_user(request.user, pk, "checkin")
    action, message = CHECK_STEPS[step]
    if request.POST.get("next") == "order" or assignment.person.user_id != request.user.pk:
        back = reverse("volunteering:order_detail", args=[assignment.order_id])
    else:
        back = reverse("volunteering:my_tasks")
    return run_step(
        request, lambda: action(assignment, actor=request.user), back=back, message=message()
    )
