"""The annual evaluation scores of the bases, as the other areas read them (the subsidy
allocation): implemented by the annual area."""

from __future__ import annotations


def annual_scores(year, *, region=None, base_ids=None) -> dict:
    """{base_id: (total Decimal, grade str, visitors int)} of the bases evaluated for
    `year` (within `region`'s subtree, or among `base_ids`). Implemented by the annual
    area; until then no base has a score."""
    return {}
