"""The emergency app's workbench items (`kepu.core.workbench`): officers — proposed
experts to confirm, invitations unanswered, deliveries still waiting, leads to triage,
approved rebuttals to publish; experts — invitations to answer and rebuttal reviews;
recipients — messages to acknowledge."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope, workbench
from kepu.core import workbench as wb
from kepu.emergency import choices as c
from kepu.emergency.filters.incidents import waiting_members
from kepu.emergency.models import Delivery, GroupMember, Rebuttal, RebuttalReview, Rumor

# -- incidents and the expert group --


workbench.link("emergency.incident", "emergency:incident_detail")


@workbench.register
def expert_group(user, focus):
    """Officers: proposed experts to confirm, invitations unanswered after an hour.
    Experts: their own invitations to answer."""
    if scope.has_permission(user, "emergency.groupmember.invite"):
        incidents = reverse("emergency:incident_list")
        for kind, label, icon, date_field in (
            ("proposed", _("Proposed experts to confirm"), "user-check", "proposed_at"),
            ("unanswered", _("Expert invitations without an answer"), "alert-circle", "invited_at"),
        ):
            rows = scope.actionable(user, waiting_members(kind), "invite")
            yield workbench.todo(
                f"emergency.group.{kind}",
                label,
                f"{incidents}?group={kind}",
                rows,
                date_field=date_field,
                icon=icon,
            )
    if scope.has_permission(user, "emergency.groupmember.respond"):
        mine = GroupMember.objects.filter(
            person__user=user,
            status=c.MemberStatus.INVITED,
            incident__status__in=c.OPEN_STATUSES,
        )
        yield workbench.todo(
            "emergency.group.invitations",
            _("Expert group invitations to answer"),
            reverse("emergency:invitation_list"),
            mine,
            date_field="invited_at",
            icon="user-check",
        )


# -- pushes and deliveries --


# A delivery still waiting this long after it arrived needs a call from the county.
ACK_CALL_AFTER = datetime.timedelta(hours=2)


@workbench.register
def emergency_deliveries(user, focus):
    if scope.has_permission(user, "emergency.delivery.acknowledge"):
        from kepu.emergency.services.pushes import inbox

        yield workbench.todo(
            "emergency.acknowledge",
            _("Emergency messages to acknowledge"),
            reverse("emergency:delivery_inbox"),
            inbox(user).filter(acknowledged_at__isnull=True),
            date_field="delivered_at",
            icon="send",
        )
    if scope.has_permission(user, "emergency.delivery.record"):
        late = (
            scope.visible_to(user, Delivery, "record", public=False)
            .filter(
                acknowledged_at__isnull=True,
                delivered_at__lt=clock.now() - ACK_CALL_AFTER,
                incident__status__in=c.OPEN_STATUSES,
            )
            .order_by("delivered_at", "pk")
        )
        first = late.values("push_id").first()
        if first is not None:
            url = reverse("emergency:push_detail", args=[first["push_id"]]) + "?state=waiting"
            yield workbench.todo(
                "emergency.unacknowledged",
                _("Emergency messages unacknowledged after 2 hours"),
                url,
                late,
                date_field="delivered_at",
                overdue=late,
                icon="clock",
            )


# -- rumours and rebuttals --


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
