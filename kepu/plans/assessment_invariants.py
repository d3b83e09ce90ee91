"""What must hold of the stored assessments (bounded queries whatever the data size)."""

from __future__ import annotations

from django.db.models import F, Q

from kepu.core.invariants import invariant
from kepu.plans import assessment_choices as c
from kepu.plans.models import AssessmentEntry, AssessmentRound


@invariant("plans")
def assessment_four_eyes():
    """The confirming officer never scored the entry; the scorer never filed it."""
    rows = AssessmentEntry.objects.filter(
        Q(confirmed_by=F("scored_by")) | Q(scored_by=F("self_submitted_by"))
    )
    for pk in rows.values_list("pk", flat=True)[:20]:
        yield f"assessment entry {pk} was scored or confirmed by the officer who filed or scored it"


@invariant("plans")
def assessment_scored_have_totals():
    done = (c.EntryStatus.SCORED, c.EntryStatus.CONFIRMED)
    rows = AssessmentEntry.objects.filter(status__in=done).filter(
        Q(total__isnull=True) | Q(submitted_at__isnull=True)
    )
    for pk in rows.values_list("pk", flat=True)[:20]:
        yield f"assessment entry {pk} is scored without a total or a time"


@invariant("plans")
def published_assessments_are_confirmed():
    waiting = AssessmentEntry.objects.filter(round__status=c.RoundStatus.PUBLISHED).exclude(
        status=c.EntryStatus.CONFIRMED
    )
    for pk in waiting.values_list("round_id", flat=True).distinct()[:20]:
        yield f"assessment round {pk} is published with an entry not confirmed"
    empty = AssessmentRound.objects.filter(status=c.RoundStatus.PUBLISHED, results=[])
    for pk in empty.values_list("pk", flat=True)[:20]:
        yield f"assessment round {pk} is published without its frozen result"
