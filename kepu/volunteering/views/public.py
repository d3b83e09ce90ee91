"""Public ordering of technology volunteer services (群众点单): the order form with the
service catalog, and the private tracking page where the requester follows the order,
cancels it before the service or rates it afterwards (评单). No account is needed; the
tracking link (a random token) is the requester's key."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import ratelimit
from kepu.core.choices import ROLE_SCOPE, ScopeKind
from kepu.core.errors import StateConflict
from kepu.core.views.common import run_step, submit_form
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.forms import OrderCancelForm, OrderRateForm, ServiceOrderForm
from kepu.volunteering.models import ServiceOrder

S = c.OrderStatus
A = c.OrderAction

# The service catalog: one line on each category, shown above the order form.
CATALOG = {
    c.ServiceCategory.HEALTH: gettext_lazy(
        "Talks and consultations on chronic diseases, first aid and healthy living."
    ),
    c.ServiceCategory.EMERGENCY: gettext_lazy(
        "Drills and talks on earthquakes, floods, fire and self-rescue."
    ),
    c.ServiceCategory.AGRICULTURE: gettext_lazy(
        "Guidance in the field on crops, livestock, plant protection and new techniques."
    ),
    c.ServiceCategory.ELDERLY_DIGITAL: gettext_lazy(
        "Helping older people use smartphones, mobile payment and online services safely."
    ),
    c.ServiceCategory.YOUTH_SCIENCE: gettext_lazy(
        "Experiments, science clubs, astronomy and robotics for children and students."
    ),
    c.ServiceCategory.ECOLOGY: gettext_lazy(
        "Waste sorting, saving energy, biodiversity and low-carbon living."
    ),
    c.ServiceCategory.ANTI_FRAUD: gettext_lazy(
        "Recognizing telephone and online fraud, and checking rumours."
    ),
    c.ServiceCategory.TECH_SERVICE: gettext_lazy(
        "Technical advice and problem solving for local enterprises."
    ),
    c.ServiceCategory.OTHER: gettext_lazy(
        "Anything else that science and technology volunteers can help with."
    ),
}

# Steps the public timeline shows without their note: the notes name volunteers.
PRIVATE_NOTES = {A.ACCEPT, A.ASSIGN, A.CHECK_IN, A.CHECK_OUT}

FOLLOW_UP_LIMIT = 30  # ratings and cancellations per client IP and hour


def _community(user):
    """The organization a signed-in member-unit account orders for (社区/单位点单)."""
    if not getattr(user, "is_authenticated", False):
        return None
    for assignment in user.assignments():
        if ROLE_SCOPE.get(assignment.role) == ScopeKind.ORGANIZATION and assignment.organization:
            return assignment.organization
    return None


def _catalog():
    return [(value, label, CATALOG.get(value, "")) for value, label in c.ServiceCategory.choices]


@never_cache
def order_new(request):
    user = request.user
    community = _community(user)
    if request.method == "POST":
        if not ratelimit.allow(
            request, "service-order", limit=settings.PUBLIC_ORDER_FORM_LIMIT, per_seconds=3600
        ):
            return render(request, "core/errors/429.html", status=429)
        form = ServiceOrderForm(request.POST)
        response = submit_form(
            request,
            form,
            lambda: _submit(request, form, community),
            success=lambda order: reverse("volunteering:order_track", args=[order.token]),
            message=lambda order: order.received_message,
        )
        if response is not None:
            return response
    else:
        initial = {"client_key": uuid.uuid4()}
        if user.is_authenticated and user.full_name:
            initial["name"] = user.full_name
        form = ServiceOrderForm(initial=initial)
    return render(
        request,
        "volunteering/public/order_new.html",
        {"form": form, "notice": form.notice, "catalog": _catalog(), "community": community},
    )


def _submit(request, form, community) -> ServiceOrder:
    """Place the order of a valid form; the same client key again finds the first order
    (then said so); the service refuses the key sent with other details."""
    try:
        order, created = _place(request, form, community)
    except StateConflict:
        # The key is another order's (sent with other details): the form shown again
        # carries a fresh key, so that the corrected form places a new order.
        form.data = form.data.copy()
        form.data["client_key"] = str(uuid.uuid4())
        raise
    if created:
        order.received_message = _(
            "Your order %(number)s has been received. Keep the link of this page "
            "(bookmark it): it is the only way to follow, cancel or rate your order."
        ) % {"number": order.number}
    else:
        order.received_message = _("This order had already been received; here it is.")
    return order


def _place(request, form, community) -> tuple[ServiceOrder, bool]:
    data = form.cleaned_data
    return services.submit_order(
        actor=request.user,
        client_key=data["client_key"],
        name=data["name"],
        phone=data["phone"],
        category=data["category"],
        key_group=data["key_group"],
        region=data["region"],
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        expected_attendees=data["expected_attendees"],
        description=data["description"],
        notice=form.notice,
        organization=community,
    )


def _order_by_token(token) -> ServiceOrder:
    order = (
        ServiceOrder.objects.select_related("region", "department", "team", "escalated_to")
        .filter(token=token)
        .first()
    )
    if order is None:
        raise Http404
    return order


def _progress(order):
    """The stages of an order for the requester, each done, current or to come."""
    reached = {
        S.SUBMITTED: 1,
        S.DISPATCHED: 2,
        S.AWAITING_TEAM: 2,
        S.ACCEPTED: 3,
        S.IN_SERVICE: 4,
        S.SERVED: 5,
        S.CLOSED: 6,
    }.get(order.status)
    if reached is None:
        return []
    labels = [
        _("Ordered"),
        _("Dispatched"),
        _("Team accepted"),
        _("In service"),
        _("Served"),
        _("Rated"),
    ]
    return [
        {"label": label, "done": i < reached, "current": i == reached}
        for i, label in enumerate(labels, start=1)
    ]


def public_timeline(order):
    """The order's steps for the requester: what happened and when, without the names of
    officers and volunteers."""
    rows = []
    for event in order.events.all():
        rows.append(
            {
                "action": event.action,
                "label": event.get_action_display(),
                "at": event.at,
                "note": "" if event.action in PRIVATE_NOTES else event.note,
            }
        )
    return rows


def _track_context(order, **extra):
    last_return = None
    if order.status in (S.SUBMITTED, S.DISPATCHED) and order.reason:
        last_return = order.events.filter(action=A.RETURN).last()
    context = {
        "order": order,
        "progress": _progress(order),
        "timeline": public_timeline(order),
        "returned": last_return,
        "can_cancel": order.status in services.TRANSITIONS[A.CANCEL][0],
        "can_rate": order.status == S.SERVED,
        "rate_form": OrderRateForm(),
        "cancel_form": OrderCancelForm(),
        "stars": range(1, 6),
    }
    context.update(extra)
    return context


@never_cache
@require_safe
def order_track(request, token):
    order = _order_by_token(token)
    return render(request, "volunteering/public/order_track.html", _track_context(order))


def _too_many(request):
    return not ratelimit.allow(
        request, "service-order-follow-up", limit=FOLLOW_UP_LIMIT, per_seconds=3600
    )


@require_POST
def order_rate(request, token):
    order = _order_by_token(token)
    if _too_many(request):
        return render(request, "core/errors/429.html", status=429)
    form = OrderRateForm(request.POST)
    if form.is_valid():
        return run_step(
            request,
            lambda: services.rate(
                order, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            ),
            back=reverse("volunteering:order_track", args=[token]),
            message=_("Thank you for your rating. The order is now closed."),
        )
    if order.status != S.SERVED:
        messages.error(request, _("This order cannot be rated now."))
        return redirect("volunteering:order_track", token=token)
    return render(
        request,
        "volunteering/public/order_track.html",
        _track_context(order, rate_form=form),
        status=400,
    )


@require_POST
def order_cancel(request, token):
    order = _order_by_token(token)
    if _too_many(request):
        return render(request, "core/errors/429.html", status=429)
    form = OrderCancelForm(request.POST)
    form.is_valid()
    return run_step(
        request,
        lambda: services.cancel_order(order, reason=form.cleaned_data.get("reason", "")),
        back=reverse("volunteering:order_track", args=[token]),
        message=_("Your order has been cancelled."),
    )
