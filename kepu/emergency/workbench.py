"""The emergency app's workbench items (`kepu.core.workbench`)."""

# -- incidents and the expert group --
from django.urls import reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from kepu.core import scope, workbench  # noqa: E402
from kepu.emergency import choices as c  # noqa: E402
from kepu.emergency.filters.incidents import waiting_members  # noqa: E402
from kepu.emergency.models import GroupMember  # noqa: E402

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


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries --


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals --
