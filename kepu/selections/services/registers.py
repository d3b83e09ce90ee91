"""The registers the calls read besides the people registry: disciplinary flags on a
person or a unit (opened and closed by officers of its region) and the relationships
experts declare (回避声明), read by the review's conflict check."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.selections import choices as c
from kepu.selections.models import DisciplinaryFlag, Relationship
from kepu.selections.services.calls import require, user_or_none


def _subject_region(person, organization):
    if person is None and organization is None:
        raise DomainError(_("Name the person or the unit."))
    return person.region if person is not None else organization.region


@transaction.atomic
def open_flag(*, actor, reason, person=None, organization=None, opened_on=None):
    """An open disciplinary flag on a person or a unit of the officer's scope."""
    region = _subject_region(person, organization)
    scope.require_region(actor, DisciplinaryFlag, "create", region)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Give the reason.")]})
    opened_on = opened_on or clock.today()
    if opened_on > clock.today():
        raise DomainError({"opened_on": [_("A flag cannot open in the future.")]})
    flag = DisciplinaryFlag.objects.create(
        person=person, organization=organization, region=region, reason=reason[:300],
        opened_on=opened_on, opened_by=user_or_none(actor),
    )  # fmt: skip
    audit.created(flag, actor=actor)
    return flag


@transaction.atomic
def close_flag(flag, *, actor):
    flag = DisciplinaryFlag.objects.select_for_update().get(pk=flag.pk)
    require(actor, flag, "close")
    if flag.closed_on is not None:
        raise StateConflict(_("This flag is already closed."))
    flag.closed_on = clock.today()
    flag.save(update_fields=["closed_on"])
    audit.record(
        "selections.disciplinaryflag.closed", obj=flag, actor=actor,
        changes={"closed_on": [None, flag.closed_on.isoformat()]},
    )  # fmt: skip
    return flag


@transaction.atomic
def declare_relationship(
    *, actor, kind, expert=None, person=None, organization=None, call=None, note=""
):
    """A declared relationship: an expert declares their own (expert None: the actor's
    person), an officer records one for an expert of their scope."""
    from kepu.people.models import Person

    if kind not in c.RelationshipKind.values:
        raise DomainError({"kind": [_("Choose the kind of relationship.")]})
    if person is None and organization is None:
        raise DomainError(_("Name the related person or unit."))
    if actor is not None and expert is None:
        expert = Person.objects.filter(user=actor, erased_at__isnull=True).first()
        if expert is None:
            raise DomainError(_("Your account is not linked to a registered person."))
    elif actor is not None and getattr(expert, "user_id", None) != actor.pk:
        scope.require_region(actor, Relationship, "create", expert.region)
    if expert is None:
        raise DomainError({"expert": [_("Choose the expert.")]})
    if person is not None and person.pk == expert.pk:
        raise DomainError(
            {"person": [_("An expert cannot declare a relationship with themselves.")]}
        )
    rel = Relationship.objects.create(
        expert=expert, person=person, organization=organization, call=call, kind=kind,
        note=(note or "").strip()[:300], region=expert.region, declared_by=user_or_none(actor),
        declared_at=clock.now(),
    )  # fmt: skip
    audit.created(rel, actor=actor)
    return rel
