"""Excel columns of the activity and sign-up exports."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.activities.models import Activity, SignUp
from kepu.core.excel import Column


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def activity_columns() -> list[Column]:
    return [
        Column("title", _("Title"), width=32),
        Column("kind", _("Activity type"), width=12),
        Column("organization", _("Organizer"), width=24),
        Column("campaign", _("Campaign"), width=20),
        Column("region", _("Region code")),
        Column("region_name", _("Region")),
        Column("address", _("Address"), width=24),
        Column("starts_at", _("Starts at")),
        Column("ends_at", _("Ends at")),
        Column("groups", _("Key groups"), width=20),
        Column("topics", _("Topics"), width=20),
        Column("status", _("Status"), width=12),
        Column("capacity", _("Places"), text=False, width=8),
        Column("confirmed", _("Confirmed sign-ups"), text=False, width=8),
        Column("expected", _("Expected audience"), text=False, width=10),
        Column("onsite", _("On-site attendance"), text=False, width=10),
        Column("online", _("Online views"), text=False, width=10),
        Column("report_due", _("Report due"), width=12),
        Column("report", _("Report"), width=10),
    ]


def activity_values(a: Activity) -> list:
    report = getattr(a, "report", None)
    if report is not None:
        state = str(_("filed late")) if report.is_late else str(_("filed"))
    elif a.report_overdue:
        state = str(_("overdue"))
    else:
        state = ""
    return [
        a.title,
        a.get_kind_display(),
        a.organization.name,
        a.campaign.name if a.campaign_id else "",
        a.region.code,
        a.region.name,
        a.address,
        _local(a.starts_at),
        _local(a.ends_at),
        "、".join(str(x) for x in a.group_labels()),
        "、".join(str(x) for x in a.topic_labels()),
        a.get_status_display(),
        a.capacity,
        a.confirmed_count,
        a.expected_audience,
        report.onsite_attendance if report else None,
        report.online_views if report else None,
        a.report_due.isoformat() if a.report_due else "",
        state,
    ]


def signup_columns() -> list[Column]:
    return [
        Column("ticket", _("Ticket code"), width=12),
        Column("name", _("Full name"), width=12),
        Column("phone", _("Mobile phone (masked)"), width=14),
        Column("group", _("Key group"), width=14),
        Column("status", _("Status"), width=12),
        Column("created", _("Signed up at")),
        Column("checked_in", _("Checked in at")),
    ]


def signup_values(s: SignUp) -> list:
    return [
        s.ticket_code,
        s.name,
        s.phone_masked,
        s.get_key_group_display(),
        s.get_status_display(),
        _local(s.created_at),
        _local(s.checked_in_at),
    ]
