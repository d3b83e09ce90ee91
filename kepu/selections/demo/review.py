"""Demo of the expert review, through the review services only: the lead chains it after
the calls demo has brought a call to `reviewing` with entries that passed the check."""

from __future__ import annotations

import random
from decimal import Decimal

from kepu.selections.choices import Vote
from kepu.selections.models import Entry, Review
from kepu.selections.services import panel, review


def _values(rubric, total: float, rng: random.Random) -> dict:
    """Points per criterion adding up to about `total` (each within its weight)."""
    values = {}
    for criterion in rubric.criteria.all():
        share = max(0.0, min(1.0, total / 100 + rng.uniform(-0.05, 0.05)))
        points = Decimal(str(round(float(criterion.weight) * share * 2) / 2))
        values[criterion.code] = min(points, criterion.weight)
    return values


def review_demo(call, *, lenient=None, severe=None, seed: int = 24, actor=None, panel_size=5):
    """Assign the reviewers of `call` (in `reviewing`), score every review with plausible
    values, one reviewer lenient (+12) and one severe (−12) so the corrected ranking
    differs from the raw one, close the review, seat a panel of `panel_size` pool members
    and record its votes on the ranked entries. `lenient`/`severe`: pool members (people)
    or None for the first two reviewers. Returns {"summary", "ranking", "panel"}."""
    rng = random.Random(seed)
    summary = review.assign_reviewers(call, actor=actor)
    reviews = list(Review.objects.filter(entry__call=call).select_related("rubric"))
    reviewers = sorted({r.reviewer_id for r in reviews})
    lenient_id = lenient.pk if lenient is not None else reviewers[0]
    severe_id = severe.pk if severe is not None else reviewers[-1]
    merit = {e: rng.uniform(62, 92) for e in {r.entry_id for r in reviews}}
    for r in sorted(reviews, key=lambda r: r.pk):
        total = merit[r.entry_id] + rng.gauss(0, 3)
        if r.reviewer_id == lenient_id:
            total += 12
        elif r.reviewer_id == severe_id:
            total -= 12
        total = max(30.0, min(99.0, total))
        review.score_review(
            r, actor=None, values=_values(r.rubric, total, rng), comment="材料翔实，事迹突出。"
        )
    ranking = review.compute_ranking(call)
    review.close_review(call, actor=actor)
    pool = [p for p in review.pool_reviewers(call) if p.pk not in (lenient_id, severe_id)]
    seats = pool[:panel_size]
    result = {}
    if seats:
        panel.set_panel(call, actor=actor, people=seats, chair=seats[0])
        ranked = Entry.objects.filter(call=call, corrected_rank__isnull=False).order_by(
            "corrected_rank"
        )
        for entry in ranked:
            strong = entry.corrected_rank <= max(1, (call.award_count or 3))
            for member in seats:
                vote = Vote.FOR if strong or rng.random() < 0.3 else Vote.AGAINST
                if rng.random() < 0.08:
                    vote = Vote.ABSTAIN
                panel.record_vote(entry, actor=None, member=member, vote=vote)
        result = panel.panel_result(call)
    return {"summary": summary, "ranking": ranking, "panel": result}
