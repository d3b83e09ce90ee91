"""What must hold of the contests' stored data (`kepu.core.invariants`). Each check runs a
bounded number of queries whatever the data size (a contest holds a million attempts)
and names at most 20 rows."""

from django.db.models import Count, Exists, Max, OuterRef

from kepu.contests import choices as c
from kepu.contests.models import Attempt, RoundItem, Standing
from kepu.contests.services import paper as papers
from kepu.core.invariants import invariant

LIMIT = 20
SAMPLE = 100  # rows checked from each end of a table


def _ends(qs):
    """The first and the last `SAMPLE` rows by primary key."""
    first = list(qs.order_by("pk")[:SAMPLE])
    last = list(qs.order_by("-pk")[:SAMPLE])
    return {row.pk: row for row in (*first, *last)}.values()


@invariant("contests")
def scores_are_what_the_papers_give():
    """A scored attempt's points and right answers are its paper's, for its answers."""
    scored = Attempt.objects.exclude(status=c.AttemptStatus.ACTIVE).select_related("round")
    wrong = []
    for attempt in _ends(scored):
        paper = papers.paper(attempt.round, attempt.seed)
        expected = papers.score(attempt.round, paper, attempt.answers or {})
        if expected != (attempt.score, attempt.correct):
            wrong.append((attempt.pk, (attempt.score, attempt.correct), expected))
    for pk, stored, expected in wrong[:LIMIT]:
        yield f"attempt {pk} stores (points, right) {stored}, its paper gives {expected}"


@invariant("contests")
def standings_are_the_best_counted_attempt():
    """A standing names a counted, scored attempt of its own participant and round, holds
    that attempt's score, time and submission, and no counted attempt of theirs ranks
    before it; its `attempts` is the number of their counted attempts."""
    wrong = []
    for standing in _ends(Standing.objects.select_related("attempt")):
        attempts = list(
            Attempt.objects.filter(
                round_id=standing.round_id, participant_id=standing.participant_id,
                practice=False, status__in=c.COUNTED_ATTEMPT_STATUSES,
            )
        )  # fmt: skip
        best = min(attempts, key=lambda a: (-a.score, a.time_used_ms, a.submitted_at, a.pk),
                   default=None)  # fmt: skip
        mine = standing.attempt
        if mine is None or best is None or mine.pk not in {a.pk for a in attempts}:
            wrong.append(f"standing {standing.pk} names no counted attempt of its participant")
        elif (mine.score, mine.time_used_ms, mine.submitted_at) != (
            standing.score, standing.time_used_ms, standing.submitted_at
        ):  # fmt: skip
            wrong.append(f"standing {standing.pk} differs from its attempt {mine.pk}")
        elif (best.score, best.time_used_ms, best.submitted_at) != (
            mine.score, mine.time_used_ms, mine.submitted_at
        ):  # fmt: skip
            wrong.append(f"standing {standing.pk}: attempt {best.pk} ranks before {mine.pk}")
        elif standing.attempts != len(attempts):
            wrong.append(
                f"standing {standing.pk} counts {standing.attempts} attempts, "
                f"its participant has {len(attempts)}"
            )
    yield from wrong[:LIMIT]


@invariant("contests")
def every_counted_attempt_has_a_standing():
    """No participant with a counted attempt is missing from the round's standings."""
    standing = Standing.objects.filter(
        round_id=OuterRef("round_id"), participant_id=OuterRef("participant_id")
    )
    missing = (
        Attempt.objects.filter(practice=False, status__in=c.COUNTED_ATTEMPT_STATUSES)
        .filter(~Exists(standing))
        .values_list("pk", "round_id", "participant_id")[:LIMIT]
    )
    for pk, round_id, participant_id in missing:
        yield (
            f"attempt {pk} counts in round {round_id}; participant {participant_id} has no standing"
        )


@invariant("contests")
def question_sets_are_numbered_from_one():
    """A round's drawn questions are numbered 1..n without gaps."""
    rows = (
        RoundItem.objects.values("round_id")
        .annotate(n=Count("pk"), distinct=Count("position", distinct=True), top=Max("position"))
        .order_by("round_id")
    )
    wrong = [r for r in rows if not r["n"] == r["distinct"] == r["top"]]
    for r in wrong[:LIMIT]:
        yield f"round {r['round_id']}: {r['n']} questions numbered up to {r['top']}"
