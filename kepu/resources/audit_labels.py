"""Readable names of the catalog action codes on the audit pages."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "resources.resource.created": _("Resource entry created"),
        "resources.resource.edited": _("Resource content changed"),
        "resources.resource.submitted": _("Resource submitted for listing"),
        "resources.resource.marked_incomplete": _("Resource returned as incomplete"),
        "resources.resource.checked": _("Resource sent to scientific review"),
        "resources.resource.published": _("Resource published"),
        "resources.resource.returned": _("Resource returned for revision"),
        "resources.resource.rejected": _("Resource rejected"),
        "resources.resource.suspended": _("Resource suspended"),
        "resources.resource.reinstated": _("Resource reinstated"),
        "resources.resource.withdrawn": _("Resource withdrawn"),
        "resources.resource.renewed": _("Resource review-by date renewed"),
        "resources.resource.reminded": _("Resource review reminder sent"),
        "resources.resource.exported": _("Resources exported"),
        "resources.resource.imported": _("Resources imported"),
        "resources.reviewassignment.created": _("Expert assigned to review a resource"),
        "resources.reviewassignment.filed": _("Expert review filed"),
        "resources.resourceattachment.created": _("Resource file added"),
        "resources.resourceattachment.deleted": _("Resource file removed"),
        "resources.resourceattachment.downloaded": _("Unpublished resource file opened"),
    }
)

# Codes recorded before the action codes took one tense (past participles): entries
# with them remain in the trail and keep their labels.
RENAMED = {
    "resources.resource.incomplete": "resources.resource.marked_incomplete",
    "resources.resource.suspend": "resources.resource.suspended",
    "resources.resource.reinstate": "resources.resource.reinstated",
    "resources.resource.withdraw": "resources.resource.withdrawn",
    "resources.resource.renew": "resources.resource.renewed",
}
ACTION_LABELS.update({old: ACTION_LABELS[new] for old, new in RENAMED.items()})
