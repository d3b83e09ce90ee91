"""Annual self-reports at benchmark scale (see `kepu.core.dataset`; the registry's
`kepu.bases.dataset` calls `generate_reports(ds)` once the bases exist): five years of
reports of every listed base (25,000 for 5,000 bases). The years before last are
accepted; last year's are mostly accepted, some submitted, some still drafts, a few filed
late. Rows are in the states the services leave: figures within their constraints
(students and free admissions part of the visitors, published activities part of those
held), the renewal share computed from the exhibits, a submitted report has its time, an
accepted one its review."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from kepu.bases import annual_choices as c
from kepu.bases.models import AnnualReport, Base
from kepu.core.dataset import Dataset

YEARS = 5


def _report(ds: Dataset, pk, base, year, last_year) -> dict:
    rng = ds.rng
    visitors = rng.choice([0, 800, 3000, 9000, 15000, 32000, 80000])
    held = rng.randint(0, 40)
    total = rng.randint(20, 400)
    renewed = total * rng.randint(0, 25) // 100
    due = datetime.date(year + 1, 2, 14)
    status = c.ReportStatus.ACCEPTED
    if year == last_year:
        status = rng.choices(
            [c.ReportStatus.ACCEPTED, c.ReportStatus.SUBMITTED, c.ReportStatus.DRAFT],
            weights=[80, 12, 8],
        )[0]
    filed = status != c.ReportStatus.DRAFT
    submitted_day = due - datetime.timedelta(days=rng.randint(-10, 30))
    late = filed and submitted_day > due
    submitted_at = ds.now.replace(year=submitted_day.year, month=submitted_day.month,
                                  day=submitted_day.day, hour=15) if filed else None  # fmt: skip
    reviewed_at = (
        submitted_at + datetime.timedelta(days=rng.randint(1, 20))
        if status == c.ReportStatus.ACCEPTED
        else None
    )
    share = (Decimal(renewed) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {
        "id": pk,
        "base_id": base[0],
        "year": year,
        "region_id": base[1],
        "organization_id": base[2],
        "status": status,
        "open_days": rng.choice([150, 210, 240, 260, 290, 305, 320]),
        "visitors": visitors,
        "students": visitors * rng.randint(10, 50) // 100,
        "free_admissions": visitors * rng.randint(20, 90) // 100,
        "activities_held": held,
        "activities_published": held * rng.randint(0, 100) // 100,
        "exhibits_total": total,
        "exhibits_renewed": renewed,
        "renewal_pct": share,
        "staff": rng.randint(2, 40),
        "docents": rng.randint(0, 25),
        "volunteers": rng.randint(0, 120),
        "budget": Decimal(rng.choice([5, 20, 45, 80, 150])),
        "safety_inspections": rng.randint(1, 12),
        "due_on": due,
        "late": late,
        "submitted_at": submitted_at,
        "reviewed_at": reviewed_at,
        "created_at": (submitted_at or ds.now) - datetime.timedelta(days=7),
        "updated_at": reviewed_at or submitted_at or ds.now,
    }


def generate_reports(ds: Dataset) -> int:
    """Five years of reports of every listed base; returns the number of rows."""
    bases = list(
        Base.objects.listed().order_by("pk").values_list("pk", "region_id", "organization_id")
    )
    if not bases:
        return 0
    last_year = ds.today.year - 1
    years = range(last_year - YEARS + 1, last_year + 1)
    ids = iter(ds.ids(AnnualReport, len(bases) * YEARS))
    rows = (_report(ds, next(ids), base, year, last_year) for year in years for base in bases)
    count = ds.insert(AnnualReport, rows)
    ds.move_sequences(AnnualReport)
    return count
