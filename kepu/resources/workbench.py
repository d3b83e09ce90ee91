"""The resource catalog's workbench items (`kepu.core.workbench`): applications waiting
for the user's completeness check (scope and four-eyes) and the expert reviews the user
has still to file."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope, workbench
from kepu.resources import choices as c
from kepu.resources import permissions
from kepu.resources.models import Resource, ResourceVersion

workbench.link("resources.resource", "resources:resource_detail")


@workbench.register
def resources(user, focus):
    if scope.has_permission(user, "resources.resource.check"):
        to_check = scope.actionable(user, Resource, "check").in_stage(c.VersionStatus.SUBMITTED)
        n, capped = workbench.count(to_check)
        if n:
            yield workbench.Item(
                key="resources.check",
                label=_("Resources to check for listing"),
                url=reverse("resources:queue") + "#check",
                count=n,
                capped=capped,
                oldest=workbench.oldest(
                    ResourceVersion.objects.filter(
                        status=c.VersionStatus.SUBMITTED, resource__in=to_check.values("pk")
                    ),
                    "submitted_at",
                ),
                icon="checklist",
            )
    if scope.has_permission(user, "resources.review.file"):
        open_reviews = permissions.expert_assignments(user).filter(
            Q(submitted_at__isnull=True, version__status=c.VersionStatus.IN_REVIEW)
        )
        yield workbench.todo(
            "resources.reviews",
            _("Expert reviews to file"),
            reverse("resources:expert_list"),
            open_reviews,
            date_field="assigned_at",
            overdue=open_reviews.filter(due_date__lt=clock.today()),
            icon="certificate",
        )
