"""The selections app's rollup counters (`kepu.core.rollups`), kept by the services.

Funded projects (the `project_stats` page: by child region × year):

- `selections.projects`: one per project, keyed by its status;
- `selections.project_money`: the approved amount (key `approved`) and what was paid
  (key `disbursed`), in fen (integer counters; 1 yuan = 100 fen).

Both count the projects as they are now (a state), under the first month of the
project's year (the page asks by year), at the project's own region. The services wrap
every change of a project in `tracked(project)`: its counters before the change are
taken off and those after it added, in the same transaction.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Cast

from kepu.core import rollups

PROJECTS = "selections.projects"
PROJECT_MONEY = "selections.project_money"


def fen(amount) -> int:
    return int((Decimal(amount or 0) * 100).to_integral_value())


def year_month(year: int) -> datetime.date:
    return datetime.date(int(year), 1, 1)


def _projects_source():
    from kepu.selections.models import Project

    rows = Project.objects.values("region_id", "year", "status").annotate(n=Count("pk"))
    for row in rows.order_by():
        yield {
            "region_id": row["region_id"],
            "month": year_month(row["year"]),
            "key": row["status"],
            "value": row["n"],
        }


def _money_source():
    from django.db.models import BigIntegerField

    from kepu.selections.models import Project

    rows = (
        Project.objects.values("region_id", "year")
        .annotate(
            approved=Sum(Cast(F("approved_amount") * Value(100), BigIntegerField())),
            disbursed=Sum(Cast(F("disbursed") * Value(100), BigIntegerField())),
        )
        .order_by()
    )
    for row in rows:
        month = year_month(row["year"])
        for key in ("approved", "disbursed"):
            yield {"region_id": row["region_id"], "month": month, "key": key, "value": row[key]}


rollups.register(PROJECTS, _projects_source, "funded projects by status (year of approval)")
rollups.register(PROJECT_MONEY, _money_source, "approved and disbursed amounts in fen")


def counters(project) -> list[tuple]:
    """The (metric, region id, when, key, delta) counters of one project as it is."""
    if project is None or project.pk is None:
        return []
    when = year_month(project.year)
    return [
        (PROJECTS, project.region_id, when, project.status, 1),
        (PROJECT_MONEY, project.region_id, when, "approved", fen(project.approved_amount)),
        (PROJECT_MONEY, project.region_id, when, "disbursed", fen(project.disbursed)),
    ]


def _apply(before, after) -> None:
    rollups.add_many([(m, r, w, k, -d) for m, r, w, k, d in before] + after)


@contextmanager
def tracked(project):
    """Keep the counters in step with what the block changes in `project` (locked by the
    caller; the block saves it)."""
    before = counters(project)
    yield
    _apply(before, counters(project))


def added(project) -> None:
    """Count a new project (in the transaction that created it)."""
    _apply([], counters(project))


def rebuild() -> None:
    rollups.rebuild(PROJECTS)
    rollups.rebuild(PROJECT_MONEY)
