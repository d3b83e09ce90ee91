"""Readable names of the portal's audit action codes."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "portal.notice.created": _("Notice drafted"),
        "portal.notice.updated": _("Notice changed"),
        "portal.notice.submitted": _("Notice submitted for review"),
        "portal.notice.published": _("Notice published"),
        "portal.notice.returned": _("Notice returned for changes"),
        "portal.notice.withdrawn": _("Notice withdrawn"),
        "portal.notice.exported": _("Notices exported"),
    }
)
