"""The catalog's object rules: person-dependent rules on one row, defined once here and
used by the pages (buttons), the API (`ScopedViewSet.get_object`), the services
(`scope.check`) and the queues (`scope.actionable`).

- an expert does not review an entry they applied for (`Resource` "review"; the
  reviewer candidates leave them out, and their review cannot be filed);
- only the expert a review is assigned to files it (`ReviewAssignment` "file");
- four-eyes (`kepu.core.workflow`): the officer who submitted the version in review does
  not decide it (`Resource` "decide").
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.workflow import four_eyes
from kepu.resources import choices as c
from kepu.resources.models import Resource, ResourceVersion, ReviewAssignment


@scope.object_rule(Resource, "review", exclude=lambda user: Q(created_by=user))
def not_own_application(resource: Resource, user) -> str | None:
    if resource.created_by_id is not None and resource.created_by_id == user.pk:
        return _("An expert does not review an entry they applied for.")
    return None


@scope.object_rule(
    ReviewAssignment,
    "file",
    exclude=lambda user: ~Q(reviewer__user=user) | Q(version__resource__created_by=user),
)
def assigned_expert_only(assignment: ReviewAssignment, user) -> str | None:
    if assignment.reviewer.user_id != user.pk:
        return _("Only the assigned expert can file this review.")
    return not_own_application(assignment.version.resource, user)


def _submitter_of_version_in_review(resource: Resource) -> int | None:
    version = resource.open_version()
    if version is None or version.status != c.VersionStatus.IN_REVIEW:
        return None
    return version.submitted_by_id


four_eyes(
    "resources",
    Resource,
    "decide",
    submitter=_submitter_of_version_in_review,
    submitted_by=lambda user_pk: Q(
        pk__in=ResourceVersion.objects.filter(
            status=c.VersionStatus.IN_REVIEW, submitted_by=user_pk
        ).values("resource_id")
    ),
)
