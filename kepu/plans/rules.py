"""The object rules of plans: person- or row-dependent refusals, each defined once and used
by the pages (buttons and links through `scope.can`), the API (`ScopedViewSet.get_object`),
the services (`scope.check`) and the lists (`scope.actionable`).

- A supervision note addressed to one unit is answered by that unit or the unit above it
  (a note to the whole task by any of its units).
- A part of a decomposed target (分解) is set by decomposing its target again, not
  changed (or decomposed further) on its own: its value must keep adding up.
- Four-eyes (`kepu.core.workflow`): whoever submitted a progress report does not accept or
  return it.

State rules (a report already submitted, a plan no longer a draft) are not object rules:
the services refuse them with `StateConflict` (409 in the API).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.workflow import four_eyes
from kepu.plans.models import ProgressReport, SupervisionNote, Target


def _answering_units(user) -> set[int]:
    return {unit.pk for unit in scope.member_units(user, SupervisionNote, "respond")}


def _other_units_note(user) -> Q:
    units = _answering_units(user)
    return (
        Q(organization__isnull=False)
        & ~Q(organization_id__in=units)
        & ~Q(organization__parent_id__in=units)
    )


@scope.object_rule(SupervisionNote, "respond", exclude=_other_units_note)
def note_addressed_to_another_unit(note, user):
    if note.organization_id is None:
        return None
    units = _answering_units(user)
    if units & {note.organization_id, note.organization.parent_id}:
        return None
    return _("This note is addressed to another unit.")


@scope.object_rule(Target, "change", exclude=lambda user: Q(parent__isnull=False))
def part_of_a_decomposed_target(target, user):
    if target.parent_id is None:
        return None
    return _("A part is set when its target is decomposed; change it there.")


def note_tasks(user):
    """The tasks on which `user` may write supervision notes: those of the plans of the
    regions where the user may create notes (the page's form and the API alike)."""
    from kepu.plans.models import Task

    regions = scope.allowed_regions(user, SupervisionNote, "create")
    return Task.objects.filter(plan__region__in=regions)


four_eyes("reports", ProgressReport, "review")
