"""Object rules of the people registry: person- or state-dependent refusals, each defined
once and used by the pages (buttons), the API (`ScopedViewSet.get_object`), the services
(`scope.check`) and the queues (`scope.actionable`)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.workflow import four_eyes
from kepu.people.models import Registration, Team, TrainingBase


def _own_registrations(user) -> Q:
    return Q(person__user=user.pk) if user.pk is not None else Q(pk__in=[])


@scope.object_rule(Registration, "review", exclude=_own_registrations)
def not_ones_own_registration(registration: Registration, user) -> str | None:
    """Self-approval: an officer does not certify or reject a registration of the person
    linked to their own account."""
    owner = registration.person.user_id
    if owner is not None and owner == user.pk:
        return _("You cannot review your own registration.")
    return None


# Four-eyes (kepu.core.workflow): the officer who filed a pending registration for someone
# does not certify or reject it.
four_eyes("registrations", Registration, "review")

# Four-eyes: the officer who proposed a training base does not recognize it.
four_eyes(
    "training_bases",
    TrainingBase,
    "recognize",
    submitter=lambda base: base.created_by_id,
    submitted_by=lambda user_pk: Q(created_by=user_pk),
)
# Four-eyes on team certification (seed 003 (十)): the officer who filed a team does not
# certify it (or refuse it); another officer of the region must.
four_eyes("teams", Team, "certify")
