"""Excel columns of the volunteer service exports: orders, hours and the bulletin."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.excel import Column
from kepu.volunteering.models import ServiceOrder


def _order_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value):
    if value is None:
        return ""
    return str(_("yes")) if value else str(_("no"))


def order_columns() -> list[Column]:
    """The export of service orders. The requester's phone is only ever masked."""
    return [
        Column("number", _("Order number"), width=16),
        Column("submitted_at", _("Ordered at")),
        Column("requester_kind", _("Placed by"), width=14),
        Column("community", _("Community"), width=22),
        Column("requester_name", _("Contact name"), width=12),
        Column("requester_phone", _("Contact phone (masked)"), width=14),
        Column("category", _("Service category"), width=20),
        Column("key_group", _("Target group"), width=14),
        Column("region", _("Region code")),
        Column("region_name", _("Region")),
        Column("address", _("Address"), width=28),
        Column("window_start", _("Preferred from")),
        Column("window_end", _("Preferred until")),
        Column("expected_attendees", _("Expected attendees"), text=False, width=10),
        Column("status", _("Status"), width=16),
        Column("department", _("Department"), width=22),
        Column("team", _("Service team"), width=22),
        Column("dispatch_due", _("Dispatch due")),
        Column("dispatched_at", _("Dispatched at")),
        Column("dispatched_on_time", _("Dispatched on time"), width=10),
        Column("accept_due", _("Acceptance due")),
        Column("accepted_at", _("Accepted at")),
        Column("accepted_on_time", _("Accepted on time"), width=10),
        Column("overdue", _("Overdue"), width=8),
        Column("escalated_to", _("Escalated to"), width=12),
        Column("served_at", _("Served at")),
        Column("closed_at", _("Closed at")),
        Column("rating", _("Rating"), text=False, width=8),
        Column("rating_comment", _("Comment"), width=24),
        Column("reason", _("Reason"), width=24),
    ]


def order_values(o: ServiceOrder) -> list:
    return [
        o.number,
        _order_time(o.submitted_at),
        o.get_requester_kind_display(),
        o.requester_organization.name if o.requester_organization_id else "",
        o.requester_name,
        o.requester_phone_masked,
        o.get_category_display(),
        o.get_key_group_display(),
        o.region.code,
        o.region.name,
        o.address,
        _order_time(o.window_start),
        _order_time(o.window_end),
        o.expected_attendees,
        o.get_status_display(),
        o.department.name if o.department_id else "",
        o.team.name if o.team_id else "",
        _order_time(o.dispatch_due),
        _order_time(o.dispatched_at),
        _yes_no(o.dispatched_on_time),
        _order_time(o.accept_due),
        _order_time(o.accepted_at),
        _yes_no(o.accepted_on_time),
        _yes_no(o.overdue) if o.is_open else "",
        o.escalated_to.name if o.escalated_to_id else "",
        _order_time(o.served_at),
        _order_time(o.closed_at),
        o.rating,
        o.rating_comment,
        o.reason,
    ]


def _hour_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def hour_columns() -> list[Column]:
    return [
        Column("volunteer", _("Volunteer"), width=12),
        Column("team", _("Service team"), width=28),
        Column("region", _("Region code")),
        Column("region_name", _("Region")),
        Column("started_at", _("Service started")),
        Column("ended_at", _("Service ended")),
        Column("hours", _("Hours"), text=False, width=8),
        Column("source", _("Source"), width=14),
        Column("status", _("Status"), width=12),
        Column("description", _("What was done"), width=36),
        Column("order", _("Service order"), width=18),
        Column("entered_by", _("Entered by"), width=16),
        Column("decided_by", _("Decided by"), width=16),
        Column("decided_at", _("Decided at")),
        Column("reason", _("Reason for rejection"), width=24),
    ]


def hour_values(e) -> list:
    return [
        e.person.name,
        e.team.name,
        e.region.code,
        e.region.name,
        _hour_time(e.started_at),
        _hour_time(e.ended_at),
        float(e.hours),
        e.get_source_display(),
        e.get_status_display(),
        e.description,
        e.order.number if e.order_id else "",
        e.created_by.display_name if e.created_by_id else "",
        e.decided_by.display_name if e.decided_by_id else "",
        _hour_time(e.decided_at),
        e.reject_reason,
    ]


def bulletin_figures() -> list[tuple[str, str]]:
    """(key, label) of the bulletin's figures, in the order of the tables and exports."""
    return [
        ("registered", _("Registered volunteers")),
        ("certified", _("Certified volunteers")),
        ("active", _("Active volunteers")),
        ("teams", _("Service teams")),
        ("received", _("Orders received")),
        ("dispatched", _("Orders dispatched")),
        ("completed", _("Orders completed")),
        ("accepted", _("Orders accepted")),
        ("on_time", _("Accepted on time")),
        ("on_time_rate", _("On-time rate (%)")),
        ("hours", _("Approved hours")),
        ("rating", _("Average rating")),
    ]


def bulletin_summary_columns():

    return [
        Column("figure", _("Figure"), width=24),
        Column("value", _("Value"), text=False, width=14),
        Column("note", _("How it is counted"), width=90),
    ]


def bulletin_region_columns():

    return [
        Column("rank_completed", _("Rank by orders completed"), text=False, width=10),
        Column("rank_hours", _("Rank by hours"), text=False, width=10),
        Column("region", _("Region"), width=16),
        Column("code", _("Region code"), width=12),
        *(Column(key, label, text=False, width=11) for key, label in bulletin_figures()),
    ]


def bulletin_region_values(row: dict, *, label: str = "") -> list:
    """One row of the regions sheet (`label` names the rows that are not a region: the
    focus region's own rows and the total, which have no rank)."""
    region = row.get("region")
    return [
        row.get("rank_completed"),
        row.get("rank_hours"),
        label or region.name,
        "" if label else region.code,
        *(_excel_number(row.get(key)) for key, _label in bulletin_figures()),
    ]


def bulletin_breakdown_columns(first_header: str):

    return [
        Column("label", first_header, width=32),
        Column("received", _("Orders received"), text=False, width=14),
        Column("completed", _("Orders completed"), text=False, width=14),
    ]


def _excel_number(value):
    """Decimals (hours, rates) as numbers in the sheet; no value stays empty."""
    import decimal

    if isinstance(value, decimal.Decimal):
        return float(value)
    return value
