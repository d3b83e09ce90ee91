"""Supervision notes (督查意见) and their answers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.plans.models import (
    SupervisionNote,
    Task,
)

# --- supervision ------------------------------------------------------------------------


@transaction.atomic
def add_note(
    task: Task, *, actor, text: str, organization=None, rectify_by=None
) -> SupervisionNote:
    if not text.strip():
        raise DomainError({"text": _("Write the supervision note.")})
    if organization is not None and not task.units.filter(organization=organization).exists():
        raise DomainError({"organization": _("That unit is not named on this task.")})
    note = SupervisionNote(
        task=task,
        organization=organization,
        text=text.strip(),
        rectify_by=rectify_by,
        author=actor,
        created_at=clock.now(),
    )
    note.full_clean()
    note.save()
    audit.created(note, actor=actor, region_code=task.plan.region.code)
    return note


@transaction.atomic
def respond_to_note(note: SupervisionNote, *, actor, response: str) -> SupervisionNote:
    note = (
        # Lock the note only: its unit is a nullable join, which PostgreSQL cannot lock.
        SupervisionNote.objects.select_for_update(of=("self",))
        .select_related("task__plan__region", "organization")
        .get(pk=note.pk)
    )
    if not note.is_open():
        raise StateConflict(_("This note has already been answered."))
    # A note addressed to one unit is answered by that unit (or its parent unit).
    scope.check(actor, note, "respond")
    if not response.strip():
        raise DomainError({"response": _("Write the answer.")})
    note.response = response.strip()
    note.responded_at, note.responded_by = clock.now(), actor
    note.save(update_fields=["response", "responded_at", "responded_by"])
    audit.record(
        "plans.supervisionnote.answered",
        obj=note,
        actor=actor,
        region_code=note.task.plan.region.code,
    )
    return note
