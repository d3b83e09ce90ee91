"""Every state change of plans, tasks, targets, progress reports and supervision notes:
in a transaction, audited, refusing what the rules refuse for pages, API and commands
alike. One module per aggregate; every public name is importable from here."""

from kepu.plans.services.common import ATTACHMENT_TYPES
from kepu.plans.services.meetings import (
    add_decision,
    add_minutes,
    create_conference,
    create_meeting,
    update_decision,
    update_meeting,
)
from kepu.plans.services.notes import add_note, respond_to_note
from kepu.plans.services.plans import (
    add_section,
    close_plan,
    create_plan,
    create_task,
    publish_plan,
    set_task_status,
    units_by_name,
    update_plan,
    update_task,
)
from kepu.plans.services.reports import (
    accept_report,
    open_periods,
    remove_attachment,
    report_due,
    reportable_targets,
    return_report,
    send_reminders,
    submit_report,
)
from kepu.plans.services.targets import create_target, decompose_target, update_target

__all__ = [
    "ATTACHMENT_TYPES",
    "accept_report",
    "add_decision",
    "add_minutes",
    "add_note",
    "add_section",
    "close_plan",
    "create_conference",
    "create_meeting",
    "update_decision",
    "update_meeting",
    "create_plan",
    "create_target",
    "create_task",
    "decompose_target",
    "open_periods",
    "publish_plan",
    "remove_attachment",
    "report_due",
    "reportable_targets",
    "respond_to_note",
    "return_report",
    "send_reminders",
    "set_task_status",
    "submit_report",
    "units_by_name",
    "update_plan",
    "update_target",
    "update_task",
]
