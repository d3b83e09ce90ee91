"""The emergency app's workbench items (`kepu.core.workbench`)."""

# -- incidents and the expert group --


# (keep these blank lines: each area edits its own block)

# -- pushes and deliveries --
import datetime  # noqa: E402

from django.urls import reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from kepu.core import clock, scope, workbench  # noqa: E402
from kepu.emergency import choices as c  # noqa: E402
from kepu.emergency.models import Delivery  # noqa: E402

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


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals --
