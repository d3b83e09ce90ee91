"""The analysis of a round: a region's approved totals per indicator, read from the
`Aggregate` rows (never by summing values in a request), beside its child regions,
per capita with the regions' population, against last year's round of the same region,
with outlier flags and the coverage of accepted returns (the rest is excluded and said
to be). Publishing a round (the open-data release) is here too."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache
from kepu.core.errors import StateConflict
from kepu.core.models import Region
from kepu.stats import choices as c
from kepu.stats import national
from kepu.stats.models import Aggregate, Indicator, RegionApproval, SurveyRound
from kepu.stats.services import completeness, figures_cache

OPEN_DATA_TAG = "stats.open"
MAD_FACTOR = 3


@dataclass
class Coverage:
    accepted: int = 0
    total: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.accepted


@dataclass
class Cell:
    value: Decimal | None = None
    units: int = 0
    per_capita: Decimal | None = None
    previous: Decimal | None = None
    change: Decimal | None = None  # share, e.g. 0.125
    change_flag: bool = False
    outlier: bool = False


@dataclass
class Column:
    region: Region
    coverage: Coverage
    population: int | None
    cells: dict[int, Cell] = field(default_factory=dict)  # by indicator pk


def previous_round(survey: SurveyRound) -> SurveyRound | None:
    return SurveyRound.objects.filter(region_id=survey.region_id, year=survey.year - 1).first()


def coverage(survey: SurveyRound, region: Region) -> dict[str, Coverage]:
    """Accepted and assigned returns of the region's subtree, by the code of the region
    itself ("") and of each region right below it: the completeness page's breakdown
    (one grouped query, cached alike)."""
    total, rows = completeness.breakdown(survey, region)
    out = {"": Coverage(accepted=total.accepted, total=total.assigned)}
    for row in rows:
        if not row.own:
            out[row.region.code] = Coverage(accepted=row.accepted, total=row.assigned)
    return out


def per_capita(indicator: Indicator, value: Decimal | None, population: int | None):
    """Per 10,000 residents or per resident (万元 per resident in yuan); None without a
    population or a per-capita kind."""
    if value is None or not population or not indicator.per_capita:
        return None
    if indicator.per_capita == "10k":
        return (value * 10000 / population).quantize(Decimal("0.01"))
    scale = 10000 if indicator.unit == "万元" else 1
    return (value * scale / population).quantize(Decimal("0.01"))


def per_capita_unit(indicator: Indicator) -> str:
    if indicator.per_capita == "10k":
        return _("per 10,000 residents")
    if indicator.per_capita == "1":
        return _("yuan per resident") if indicator.unit == "万元" else _("per resident")
    return ""


def _outliers(values: list[Decimal | None]) -> list[bool]:
    """Flags of the values beyond median ± 3×MAD among the siblings (no flag with fewer
    than 4 values or no spread)."""
    known = [float(v) for v in values if v is not None]
    if len(known) < 4:
        return [False] * len(values)
    median = statistics.median(known)
    mad = statistics.median(abs(v - median) for v in known)
    if not mad:
        return [False] * len(values)
    return [v is not None and abs(float(v) - median) > MAD_FACTOR * mad for v in values]


def resident_population(regions) -> dict[int, int]:
    """{region pk: resident population (常住人口)} as the officers entered it, the base
    of the survey's per-capita figures (人均科普专项经费 = 专项经费 ÷ 常住人口). Not the
    literacy survey's census margins: those count the surveyed ages only (18–69), and
    dividing by them would overstate every per-capita figure. Missing: no figure."""
    return {r.pk: r.population for r in regions if r.population}


def table_figures(survey: SurveyRound, region: Region, indicators: list[Indicator]) -> dict:
    """The region and its reporting children, each a Column of Cells per indicator (from
    the shared cache while the round's data has not changed)."""
    name = f"figures:{region.pk}:" + ",".join(str(i.pk) for i in indicators)
    return figures_cache.cached(survey.pk, name, lambda: _table_figures(survey, region, indicators))


def _table_figures(survey: SurveyRound, region: Region, indicators: list[Indicator]) -> dict:
    cov = coverage(survey, region)
    children = [r for r in Region.objects.filter(parent=region).order_by("code") if r.code in cov]
    regions = [region, *children]
    ids = [r.pk for r in regions]
    people = resident_population(regions)
    columns = [
        Column(r, cov.get("" if r.pk == region.pk else r.code, Coverage()), people.get(r.pk))
        for r in regions
    ]
    by_region = {col.region.pk: col for col in columns}
    ind_ids = [i.pk for i in indicators]
    for region_id, indicator_id, value, units in Aggregate.objects.filter(
        round=survey, region_id__in=ids, indicator_id__in=ind_ids
    ).values_list("region_id", "indicator_id", "value", "units"):
        by_region[region_id].cells[indicator_id] = Cell(value=value, units=units)
    before = previous_round(survey)
    prev: dict[tuple[int, str], Decimal] = {}
    if before is not None:
        prev = {
            (region_id, code): value
            for region_id, code, value in Aggregate.objects.filter(
                round=before, region_id__in=ids, indicator__code__in=[i.code for i in indicators]
            ).values_list("region_id", "indicator__code", "value")
        }
    threshold = survey.data_set.change_threshold
    for indicator in indicators:
        for col in columns:
            cell = col.cells.setdefault(indicator.pk, Cell())
            cell.per_capita = per_capita(indicator, cell.value, col.population)
            cell.previous = prev.get((col.region.pk, indicator.code))
            if cell.previous and cell.value is not None:
                cell.change = (cell.value - cell.previous) / cell.previous
                cell.change_flag = abs(cell.change) > threshold
        sibling = [
            col.cells[indicator.pk].per_capita
            if indicator.per_capita
            else col.cells[indicator.pk].value
            for col in columns[1:]
        ]
        for col, flag in zip(columns[1:], _outliers(sibling), strict=True):
            col.cells[indicator.pk].outlier = flag
    return {"columns": columns, "previous_round": before}


def national_reference(indicator: Indicator, year: int, cell: Cell) -> dict | None:
    """The national headline figure matching the indicator, in its published unit."""
    found = national.reference(indicator.code, year)
    if found is None:
        return None
    series, value, at = found
    return {
        "label": series.label,
        "unit": series.unit,
        "value": value,
        "year": at,
        "per_capita": series.per_capita,
    }


# -- publishing --------------------------------------------------------------------------


@transaction.atomic
def publish(survey: SurveyRound, *, actor) -> SurveyRound:
    """Release a round's approved aggregates as open data: only once the province (the
    round's region) approved."""
    survey = SurveyRound.objects.select_for_update().get(pk=survey.pk)
    if survey.status == c.RoundStatus.PUBLISHED:
        raise StateConflict(_("The results of this survey are already published."))
    approved = RegionApproval.objects.filter(
        round=survey, region_id=survey.region_id, status=c.ApprovalStatus.APPROVED
    ).exists()
    if not approved:
        raise StateConflict(
            _("The results can be published once %(region)s has approved the survey.")
            % {"region": survey.region.name}
        )
    before = survey.status
    survey.status, survey.published_at = c.RoundStatus.PUBLISHED, clock.now()
    survey.save(update_fields=["status", "published_at"])
    figures_cache.changed(survey.pk)
    audit.record(
        "stats.surveyround.published",
        obj=survey,
        actor=actor,
        changes={"status": [before, survey.status]},
    )
    publiccache.bump(OPEN_DATA_TAG)
    return survey


# -- recomputing -------------------------------------------------------------------------


def snapshot(survey: SurveyRound) -> dict[tuple[int, int], tuple[Decimal, int]]:
    return {
        (r, i): (v, u)
        for r, i, v, u in Aggregate.objects.filter(round=survey).values_list(
            "region_id", "indicator_id", "value", "units"
        )
    }


def recompute_with_drift(survey: SurveyRound, *, actor) -> dict:
    """Rebuild the round's aggregates from the accepted values and report the drift: the
    rows that differed from the kept ones (audited)."""
    from kepu.stats.services import aggregation

    with transaction.atomic():
        before = snapshot(survey)
        rows = aggregation.recompute(survey)
        after = snapshot(survey)
        drift = sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        figures_cache.changed(survey.pk)
        audit.record(
            "stats.aggregate.recomputed",
            obj=survey,
            actor=actor,
            detail={"rows": rows, "drift": len(drift), "examples": drift[:20]},
        )
    return {"rows": rows, "drift": len(drift)}
