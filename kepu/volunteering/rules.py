"""Person- and state-dependent rules of volunteer service, each defined once (imported by
`scope_rules`) and used by the pages (buttons), the API (`ScopedViewSet.get_object`), the
services (`scope.check`) and the queues (`scope.actionable`).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.volunteering.models import HourEntry


def _own_hours(user) -> Q:
    return Q(person__user=user)


@scope.object_rule(HourEntry, "approve", exclude=_own_hours)
def not_own_hours(entry: HourEntry, user) -> str | None:
    """Nobody approves or rejects their own hours (a team leader's own hours go to an
    officer of the team's region or unit)."""
    if getattr(user, "pk", None) is not None and entry.person.user_id == user.pk:
        return _("You cannot approve your own hours.")
    return None
