"""Resident population from the 7th national census (2020-11-01) shipped with the code
(`data/population_51_census2020.tsv`, see `data/README.md`): the per-10,000 ratios need no
typing. Only regions without a population are filled: a figure an officer entered stays."""

from __future__ import annotations

from pathlib import Path

POPULATION_FILE = Path(__file__).parent / "data" / "population_51_census2020.tsv"


def census_population(path: Path = POPULATION_FILE) -> dict[str, int]:
    """{region code: resident population} of the file's rows."""
    figures = {}
    with open(path, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            code, _name, population, *_note = line.rstrip("\n").split("\t")
            if population:
                figures[code] = int(population)
    return figures


def load_population(path: Path = POPULATION_FILE, *, overwrite: bool = False) -> int:
    """Set the population of the regions in the file (those without one, or all with
    `overwrite`); returns how many were set. Reference data: no audit entry."""
    from django.db import transaction

    from kepu.core.models import Region

    figures = census_population(path)
    regions = Region.objects.filter(code__in=list(figures))
    if not overwrite:
        regions = regions.filter(population__isnull=True)
    changed = []
    for region in regions.only("pk", "code", "population"):
        region.population = figures[region.code]
        changed.append(region)
    with transaction.atomic():
        Region.objects.bulk_update(changed, ["population"], batch_size=1000)
    return len(changed)
