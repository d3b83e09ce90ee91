"""Readable names of the catalog action codes on the audit pages."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "resources.resource.created": _("Resource entry created"),
        "resources.resource.edited": _("Resource content changed"),
        "resources.resource.submitted": _("Resource submitted for listing"),
        "resources.resource.incomplete": _("Resource returned as incomplete"),
        "resources.resource.checked": _("Resource sent to scientific review"),
        "resources.resource.published": _("Resource published"),
        "resources.resource.returned": _("Resource returned for revision"),
        "resources.resource.rejected": _("Resource rejected"),
        "resources.resource.suspend": _("Resource suspended"),
        "resources.resource.reinstate": _("Resource reinstated"),
        "resources.resource.withdraw": _("Resource withdrawn"),
        "resources.resource.renew": _("Resource review-by date renewed"),
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
