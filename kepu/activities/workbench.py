"""Activities' workbench items (`kepu.core.workbench`): activities waiting for the
user's review (scope and four-eyes: never their own submission) and activities returned
for changes that the user may edit."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.activities import choices as c
from kepu.activities.models import Activity
from kepu.core import scope, workbench

workbench.link("activities.activity", "activities:activity_detail")
workbench.link("activities.campaign", "activities:campaign_detail")


@workbench.register
def activities(user, focus):
    if scope.has_permission(user, "activities.activity.review"):
        yield workbench.todo(
            "activities.review",
            _("Activities to review"),
            reverse("activities:review_queue"),
            scope.actionable(user, Activity, "review").filter(status=c.ActivityStatus.SUBMITTED),
            date_field="submitted_at",
            icon="checklist",
        )
    if scope.has_permission(user, "activities.activity.change"):
        returned = scope.visible_to(user, Activity, "change", public=False).filter(
            status=c.ActivityStatus.RETURNED
        )
        yield workbench.todo(
            "activities.returned",
            _("Activities returned for changes"),
            reverse("activities:activity_list") + f"?status={c.ActivityStatus.RETURNED}",
            returned,
            date_field="reviewed_at",
            icon="pencil",
        )
