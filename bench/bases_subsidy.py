"""The subsidy preview at province scale (issue 23: "5,000 bases … subsidy preview
≤ 1 s"). Run in-process on the bench database (Django set up by the caller, e.g.
bench/measure.py):

- a subsidy round of the province over every level and category (written directly and
  deleted afterwards, so the dataset stays as generated), budget 50,000 yuan a base,
  base amount 10,000, 70% by score, 30% by visitors, a cap;
- the scores come from `kepu.bases.scores.annual_scores` (the annual evaluation); when it
  has none for the year, deterministic stand-in scores are used (said in the result) so
  that the allocation itself is still measured;
- `preview_subsidy` timed three times (reading the bases and the scores, the formula with
  its caps and the rounding, the reasons), the median reported; the total is checked
  against the budget.

Returns one JSON-able dict. `python bench/bases_subsidy.py` prints it (kepu.settings)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
PER_BASE = 50_000


def _stand_in(base_ids):
    """Scores in 40–100 and visitors from the id: the same every run."""
    grades = ((90, "excellent"), (70, "good"), (60, "pass"), (0, "fail"))

    def score(pk):
        total = Decimal(40 + (pk * 37) % 61)
        grade = next(g for low, g in grades if total >= low)
        return total, grade, 2_000 + (pk * 7919) % 200_000

    table = {pk: score(pk) for pk in base_ids}
    return lambda year, *, region=None, base_ids=None: table


def preview_province() -> dict:
    from kepu.bases import choices as c
    from kepu.bases import scores
    from kepu.bases.models import SubsidyRound
    from kepu.bases.services.subsidy import candidate_bases, preview_subsidy
    from kepu.core.models import Region

    province = Region.objects.get(code="51")
    rnd = SubsidyRound(
        name="基准测试：全省补助预览",
        region=province,
        year=YEAR,
        budget=1,
        levels=list(c.BaseLevel.values),
        base_amount=10_000,
        score_weight=70,
        visitor_weight=30,
    )
    ids = list(candidate_bases(rnd).values_list("pk", flat=True))
    if not ids:
        return {"error": "no listed base in the dataset"}
    rnd.budget = PER_BASE * len(ids)
    rnd.cap = PER_BASE * 4
    rnd.save()
    try:
        source = "annual"
        patch = mock.patch.object(scores, "annual_scores", scores.annual_scores)
        if not scores.annual_scores(YEAR, region=province, base_ids=ids[:50]):
            source = "stand-in"
            patch = mock.patch.object(scores, "annual_scores", _stand_in(ids))
        times = []
        with patch:
            for _ in range(3):
                started = time.perf_counter()
                preview = preview_subsidy(rnd)
                times.append(time.perf_counter() - started)
        return {
            "bases": len(ids),
            "eligible": preview.eligible,
            "capped": sum(1 for line in preview.lines if line.capped),
            "scores": source,
            "budget": rnd.budget,
            "total": preview.total,
            "adds_up": preview.total == rnd.budget and not preview.error,
            "error": preview.error,
            "preview_seconds": statistics.median(times),
            "max_s": max(times),
        }
    finally:
        rnd.delete()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    print(json.dumps(preview_province(), ensure_ascii=False, indent=1, default=str))
