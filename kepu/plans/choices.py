"""Constants of plans, targets and supervision."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    PUBLISHED = "published", pgettext_lazy("plan status", "Published")
    CLOSED = "closed", pgettext_lazy("plan status", "Closed")


# Plans whose progress the public portal shows (accountability, issue 7 item 6).
PUBLIC_PLAN_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)


class ReportCycle(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


# The kind of `kepu.core.periods.Period` each reporting cycle reports on.
CYCLE_PERIOD = {ReportCycle.MONTHLY: "month", ReportCycle.QUARTERLY: "quarter"}


class TaskStatus(models.TextChoices):
    """The stored status; "overdue" is derived (deadline passed, not done)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


# What pages show: the stored status, or overdue.
TASK_OVERDUE = "overdue"
TASK_DISPLAY = {
    **dict(TaskStatus.choices),
    TASK_OVERDUE: _("Overdue"),
}


class TargetSource(models.TextChoices):
    MEASURED = "measured", _("Measured live from a registry")
    REPORTED = "reported", _("Reported by the responsible units")


class ReportStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report status", "Awaiting report")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")


# Reports the unit still owes (an overdue report is one of these past its due date).
OWED_REPORT_STATUSES = (ReportStatus.PENDING, ReportStatus.RETURNED)


class ReportAction(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("report action", "Submitted")
    RETURNED = "returned", pgettext_lazy("report action", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report action", "Accepted")
    REMINDED = "reminded", pgettext_lazy("report action", "Reminder sent")


class Comparison(models.TextChoices):
    """How the actual value must stand against the target value for the target to be met:
    "超过16%" is met only above 16; "达到200人" (or "不少于") at 200."""

    AT_LEAST = "at_least", _("At least (≥)")
    ABOVE = "above", _("Above (>)")


class TargetState(models.TextChoices):
    """How a target stands against its straight-line plan."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind plan")
    MISSED = "missed", _("Missed")
    NO_DATA = "no_data", _("No data yet")


MAX_ATTACHMENTS = 6
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
