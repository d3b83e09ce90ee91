"""The catalog's object rules: person-dependent rules on one row, defined once here and
used by the pages (buttons), the API (`ScopedViewSet.get_object`), the services
(`scope.check`) and the queues (`scope.actionable`).

- an expert does not review an entry they applied for (`Resource` "review"; the
  reviewer candidates leave them out, and their review cannot be filed);
- only the expert a review is assigned to files it (`ReviewAssignment` "file").
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.resources.models import Resource, ReviewAssignment


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
