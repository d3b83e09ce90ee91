"""How catalog rows are scoped, and which role may do what with them.

Entries are scoped by their region (the officers there check, send to review and
decide) and by their owner unit (member-unit staff manage their own unit's). An
individual (a volunteer or expert with an account) sees the entries they applied for
(`owner`). Published entries are public. Expert reviews are reached through the
assignment itself (`permissions.get_assignment_for_expert`), not through a scope.
"""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, register
from kepu.resources import rules  # noqa: F401  (the object rules register on import)
from kepu.resources.choices import ResourceStatus
from kepu.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceEvent,
    ResourceTag,
    ResourceVersion,
    ReviewAssignment,
)

register(
    Resource,
    ScopeRule(
        region="region",
        organization="organization",
        owner="created_by",
        public=Q(status=ResourceStatus.PUBLISHED),
    ),
)
for model in (ResourceVersion, ResourceAttachment, ResourceEvent):
    register(
        model,
        ScopeRule(
            region="resource__region",
            organization="resource__organization",
            owner="resource__created_by",
        ),
    )
register(
    ReviewAssignment,
    ScopeRule(region="version__resource__region", organization="version__resource__organization"),
)

R = "resources.resource"
OFFICER_ACTIONS = ("view", "create", "change", "submit", "check", "decide", "manage", "export")
grant(
    Role.REGIONAL_OFFICER,
    *(f"{R}.{x}" for x in OFFICER_ACTIONS),
    "resources.resourceversion.view",
    "resources.reviewassignment.view",
    "resources.resourceattachment.view",
    "resources.resourceevent.view",
)
# Member units list their own resources (申报) and keep them up to date.
grant(
    Role.MEMBER_STAFF,
    *(f"{R}.{x}" for x in ("view", "create", "change", "submit", "export")),
    "resources.resourceversion.view",
    "resources.resourceattachment.view",
    "resources.resourceevent.view",
)
# Individuals apply in their own name and follow their applications.
grant(
    Role.VOLUNTEER,
    *(f"{R}.{x}" for x in ("view", "create", "change", "submit")),
    "resources.resourceversion.view",
    "resources.resourceattachment.view",
    "resources.resourceevent.view",
)
# Member units and individuals list resources through the Excel import too: they follow
# and confirm their own import jobs (the job rule is owner-scoped: never others').
grant(Role.MEMBER_STAFF, "core.importjob.view", "core.importjob.change")
grant(Role.VOLUNTEER, "core.importjob.view", "core.importjob.change")
# Experts file the reviews they are assigned (an expert may hold either role).
grant(Role.REVIEWER, "resources.review.file")
grant(Role.VOLUNTEER, "resources.review.file")

declare_unscoped(ResourceTag, "an entry's classification tags: read through the scoped entry")
