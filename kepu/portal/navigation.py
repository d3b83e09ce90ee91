from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

PORTAL = _("Public portal")

nav.add(PORTAL, _("Notices"), "portal:notice_list", "portal.notice.view", "file-text")
nav.add(PORTAL, _("Notices to review"), "portal:notice_queue", "portal.notice.review", "checklist")
