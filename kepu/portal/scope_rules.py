"""How notices are scoped, and which role may do what with them.

A notice is scoped by the region it is issued for: the officers of that region and of
the regions above it see and review it; the officers of another county never reach it
in the back office (404). Published notices are public (`visible_to(..., public=True)`).
"""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, grant, register
from kepu.core.workflow import four_eyes
from kepu.portal.choices import NoticeStatus
from kepu.portal.models import Notice

register(Notice, ScopeRule(region="region", public=Q(status=NoticeStatus.PUBLISHED)))

# Four-eyes: whoever submitted a notice does not publish it; a colleague of the same
# region or an officer of a region above does.
four_eyes("notices", Notice, "review")

N = "portal.notice"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{N}.{x}" for x in ("view", "create", "change", "submit", "review", "withdraw", "export")),
)
