"""Volunteer service's periodic jobs."""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, jobs, retention, schedules
from kepu.volunteering import choices as c
from kepu.volunteering.models import ServiceOrder
from kepu.volunteering.services import escalate_overdue

# The order notice (core migration 0013, purpose "order") promises: kept three years from
# the service or the closing of the order, then deleted or anonymised.
ORDER_KEEP_DAYS = 3 * 365


@jobs.kind("volunteering.escalate_orders", title=_("Escalate overdue service orders"), retries=2)
def escalate_orders(run) -> dict:
    """Flag orders past their dispatch or acceptance deadline (working days) and raise
    them to the level above. Safe to repeat: an escalated order is not escalated again."""
    escalated = escalate_overdue()
    run.outcome = _("%(n)d overdue orders escalated.") % {"n": escalated}
    return {"escalated": escalated}


schedules.every(
    "volunteering.escalate_orders",
    "volunteering.escalate_orders",
    title=_("Escalate overdue service orders"),
    hours=1,
)


def anonymise_expired_orders(now=None) -> int:
    """Clear the requester's name, phone, address and coordinates of orders served,
    closed, rejected or cancelled more than ORDER_KEEP_DAYS ago. The order stays, with
    its number, region, category, group, steps, hours and rating, so the statistics and
    the volunteers' hours keep their records. Safe to repeat."""
    cutoff = (now or clock.now()) - timedelta(days=ORDER_KEEP_DAYS)
    ended = (
        Q(closed_at__lt=cutoff)
        | Q(closed_at__isnull=True, served_at__lt=cutoff)
        | Q(
            status__in=(c.OrderStatus.REJECTED, c.OrderStatus.CANCELLED),
            updated_at__lt=cutoff,
        )
    )
    due = ServiceOrder.objects.filter(ended).exclude(requester_phone_enc="")
    values = {
        "requester_name": "",
        "requester_phone_enc": "",
        "requester_phone_masked": "",
        "requester_phone_hash": retention.purged_hash(),
        "address": "",
        "latitude": None,
        "longitude": None,
    }
    return retention.anonymise(
        due, values, action="volunteering.serviceorder.anonymised", cutoff=cutoff
    )


@jobs.kind(
    "volunteering.purge_orders",
    title=_("Anonymise service orders past their retention"),
    retries=2,
)
def purge_orders(run) -> dict:
    n = anonymise_expired_orders()
    run.outcome = _("%(n)d orders ended over three years ago anonymised.") % {"n": n}
    return {"anonymised": n}


schedules.daily(
    "volunteering.purge_orders",
    "volunteering.purge_orders",
    title=_("Anonymise service orders past their retention"),
    at="03:40",
)
