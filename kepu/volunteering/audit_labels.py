"""Readable names of the volunteer service action codes on the audit pages."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "volunteering.serviceorder.created": _("Service order placed"),
        "volunteering.serviceorder.anonymised": _("Service orders past their retention anonymised"),
        "volunteering.serviceorder.dispatched": _("Service order dispatched"),
        "volunteering.serviceorder.claimed": _("Service order claimed by the department"),
        "volunteering.serviceorder.accepted": _("Service order accepted by the team"),
        "volunteering.serviceorder.checked_in": _("Volunteer checked in"),
        "volunteering.serviceorder.checked_out": _("Volunteer checked out"),
        "volunteering.serviceorder.completed": _("Service completed"),
        "volunteering.serviceorder.rated": _("Service order rated"),
        "volunteering.serviceorder.closed": _("Service order closed"),
        "volunteering.serviceorder.returned": _("Service order returned"),
        "volunteering.serviceorder.rejected": _("Service order rejected"),
        "volunteering.serviceorder.cancelled": _("Service order cancelled"),
        "volunteering.serviceorder.escalated": _("Overdue service order escalated"),
        "volunteering.serviceorder.exported": _("Service orders exported"),
        "volunteering.hourentry.created": _("Service hours recorded"),
        "volunteering.hourentry.approved": _("Service hours approved"),
        "volunteering.hourentry.rejected": _("Service hours rejected"),
        "volunteering.hourentry.exported": _("Service hours exported"),
        "volunteering.certificate.created": _("Service record certificate issued"),
        "volunteering.certificate.revoked": _("Service record certificate revoked"),
        "volunteering.certificate.downloaded": _("Service record certificate downloaded"),
        "volunteering.certificate.exported": _("Service record certificates of a team exported"),
        "volunteering.bulletin.exported": _("Volunteer service bulletin exported"),
    }
)

# The codes the order steps were recorded under before they took the past participle
# (2026-12): older audit entries still carry them.
ACTION_LABELS.update(
    {
        "volunteering.serviceorder.dispatch": _("Service order dispatched"),
        "volunteering.serviceorder.claim": _("Service order claimed by the department"),
        "volunteering.serviceorder.accept": _("Service order accepted by the team"),
        "volunteering.serviceorder.check_in": _("Volunteer checked in"),
        "volunteering.serviceorder.check_out": _("Volunteer checked out"),
        "volunteering.serviceorder.complete": _("Service completed"),
        "volunteering.serviceorder.rate": _("Service order rated"),
        "volunteering.serviceorder.close": _("Service order closed"),
        "volunteering.serviceorder.return": _("Service order returned"),
        "volunteering.serviceorder.reject": _("Service order rejected"),
        "volunteering.serviceorder.cancel": _("Service order cancelled"),
        "volunteering.serviceorder.escalate": _("Overdue service order escalated"),
    }
)
