"""The published annual scores of bases: the one way other areas (the subsidy tied to
the score, 003 (十三)) read the evaluation."""

from __future__ import annotations

from decimal import Decimal

from kepu.bases import annual_choices as c
from kepu.bases.models import AnnualEvaluation


def annual_scores(year, *, region=None, base_ids=None) -> dict[int, tuple[Decimal, str, int]]:
    """{base id: (total, grade, visitors)} of the published annual evaluations of `year`
    (within `region`'s subtree, or of `base_ids`). A base evaluated in two published
    rounds of the year keeps the later round's result. One query."""
    rows = AnnualEvaluation.objects.filter(
        year=int(year),
        round__kind=c.RoundKind.ANNUAL,
        round__status=c.RoundStatus.PUBLISHED,
        total__isnull=False,
    )
    if region is not None:
        rows = rows.filter(region__path__startswith=region.path)
    if base_ids is not None:
        rows = rows.filter(base_id__in=list(base_ids))
    out: dict[int, tuple[Decimal, str, int]] = {}
    for base_id, total, grade, visitors in rows.order_by("round__published_at", "pk").values_list(
        "base_id", "total", "grade", "visitors"
    ):
        out[base_id] = (total, grade, visitors)
    return out
