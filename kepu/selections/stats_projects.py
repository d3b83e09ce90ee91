"""Statistics of funded projects by child region × year, read from the rollup counters
(`kepu.selections.rollups`): a few hundred counter rows whatever the number of
projects."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Substr

from kepu.core import rollups
from kepu.core.models import Region
from kepu.selections import choices as c
from kepu.selections.rollups import PROJECT_MONEY, PROJECTS

YEARS_SHOWN = 5


@dataclass
class Cell:
    region: Region | None  # None: the focus region itself (projects attached to it)
    count: int = 0
    accepted: int = 0
    approved_fen: int = 0
    disbursed_fen: int = 0

    @property
    def approved(self) -> Decimal:
        return Decimal(self.approved_fen) / 100

    @property
    def disbursed(self) -> Decimal:
        return Decimal(self.disbursed_fen) / 100

    @property
    def accepted_share(self) -> int | None:
        return round(self.accepted * 100 / self.count) if self.count else None

    @property
    def paid_share(self) -> int | None:
        return round(self.disbursed_fen * 100 / self.approved_fen) if self.approved_fen else None


@dataclass
class Year:
    year: int
    rows: list[Cell] = field(default_factory=list)
    total: Cell = field(default_factory=lambda: Cell(None))


def _grouped(metric, focus, children, start, end):
    """{(child path or "", year, key): n} for the metric in the focus's subtree."""
    inside = rollups.rows(metric, focus, start, end)
    out: dict[tuple, int] = defaultdict(int)
    for length in sorted({len(ch.path) for ch in children}):
        grouped = (
            inside.exclude(path=focus.path)
            .annotate(_prefix=Substr("path", 1, length))
            .values("_prefix", "month", "key")
            .annotate(n=Sum("value"))
            .order_by()
        )
        for row in grouped:
            out[(row["_prefix"], row["month"].year, row["key"])] += row["n"]
    direct = inside.filter(path=focus.path).values("month", "key").annotate(n=Sum("value"))
    for row in direct.order_by():
        out[("", row["month"].year, row["key"])] += row["n"]
    return out


def by_child_and_year(focus: Region, last_year: int | None = None) -> list[Year]:
    """For each of the last YEARS_SHOWN years that has projects (newest first): a row per
    child region of `focus` (and one for the focus itself when projects are attached to
    it) with count, approved, disbursed and the accepted share, and the total."""
    from kepu.core import clock

    last_year = last_year or clock.today().year + 1
    start = datetime.date(last_year - YEARS_SHOWN, 1, 1)
    end = datetime.date(last_year + 1, 1, 1)
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    counts = _grouped(PROJECTS, focus, children, start, end)
    money = _grouped(PROJECT_MONEY, focus, children, start, end)
    years = sorted({y for (_p, y, _k), n in counts.items() if n}, reverse=True)
    result = []
    for year in years:
        entry = Year(year)
        places = [(ch.path, ch) for ch in children] + [("", None)]
        for path, region in places:
            cell = Cell(region)
            for (p, y, key), n in counts.items():
                if p == path and y == year:
                    cell.count += n
                    if key == c.ProjectStatus.ACCEPTED:
                        cell.accepted += n
            cell.approved_fen = money.get((path, year, "approved"), 0)
            cell.disbursed_fen = money.get((path, year, "disbursed"), 0)
            if region is None and not cell.count:
                continue
            entry.rows.append(cell)
            for name in ("count", "accepted", "approved_fen", "disbursed_fen"):
                setattr(entry.total, name, getattr(entry.total, name) + getattr(cell, name))
        result.append(entry)
    return result
