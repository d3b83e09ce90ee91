"""The emergency app's workbench items (`kepu.core.workbench`)."""

# -- incidents and the expert group --


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries --


# (keep these blank lines: each area edits its own block)

# -- rumours and rebuttals --
from django.urls import reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from kepu.core import clock, scope  # noqa: E402
from kepu.core import workbench as wb  # noqa: E402
from kepu.emergency import choices as c  # noqa: E402
from kepu.emergency.models import Rebuttal, RebuttalReview, Rumor  # noqa: E402

wb.link("emergency.rumor", "emergency:rumor_detail")
wb.link("emergency.rebuttal", "emergency:rebuttal_detail")


@wb.register
def rumors(user, focus):
    """Leads to triage and approved rebuttals to publish (officers); rebuttals to review
    with their due hour (experts)."""
    if scope.has_permission(user, "emergency.rumor.triage"):
        yield wb.todo(
            "emergency.rumors",
            _("Rumour leads to triage"),
            reverse("emergency:rumor_list") + f"?status={c.RumorStatus.NEW}",
            scope.actionable(user, Rumor, "triage").filter(status=c.RumorStatus.NEW),
            date_field="reported_at",
            icon="message-report",
        )
    if scope.has_permission(user, "emergency.rebuttal.publish"):
        yield wb.todo(
            "emergency.rebuttals",
            _("Approved rebuttals to publish"),
            reverse("emergency:rumor_list") + f"?rebuttal={c.RebuttalStatus.APPROVED}",
            scope.actionable(user, Rebuttal, "publish").filter(status=c.RebuttalStatus.APPROVED),
            date_field="created_at",
            icon="send",
        )
    if scope.has_permission(user, "emergency.rebuttalreview.decide"):
        waiting = scope.actionable(user, RebuttalReview, "decide").filter(
            decision=c.ReviewDecision.PENDING, rebuttal__status=c.RebuttalStatus.IN_REVIEW
        )
        yield wb.todo(
            "emergency.reviews",
            _("Rebuttals to review"),
            reverse("emergency:review_list"),
            waiting,
            date_field="due_at",
            overdue=waiting.filter(due_at__lt=clock.now()),
            icon="certificate",
        )
