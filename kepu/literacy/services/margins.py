"""Census margins (the 7th census, 2020) by region, the targets the weights are raked to
and the populations of the sampling frame's strata: entered, imported from Excel, or
loaded for the demo province. Every variable of a region must add up to the same
population (the residents aged 18–69); margins that do not are refused whole."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, register_spec
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.models import PopulationMargin

CENSUS_YEAR = 2020
CATEGORIES = {
    c.MarginVar.SEX: c.Sex,
    c.MarginVar.AGE: c.AgeBand,
    c.MarginVar.AREA: c.AreaType,
    c.MarginVar.EDUCATION: c.Education,
}
MAX_POPULATION = 200_000_000


def _require(actor, region, action="change"):
    if actor is not None:
        scope.require_region(actor, PopulationMargin, action, region)


def row_errors(rows) -> tuple[dict, list[str]]:
    """({variable: {category: population}}, errors) of one region's rows: known
    variables and categories, whole non-negative numbers, each category once, and every
    variable adding up to the same total."""
    table: dict = defaultdict(dict)
    errors = []
    for row in rows:
        variable = str(row.get("variable", ""))
        category = str(row.get("category", ""))
        if variable not in CATEGORIES:
            errors.append(_("“%(v)s” is not a census variable.") % {"v": variable})
            continue
        if category not in CATEGORIES[variable].values:
            errors.append(
                _("“%(c)s” is not a category of %(v)s.")
                % {"c": category, "v": c.MarginVar(variable).label}
            )
            continue
        value = row.get("population")
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).replace(",", "").strip())
            except ValueError:
                errors.append(_("The population must be a whole number."))
                continue
        if not 0 <= value <= MAX_POPULATION:
            errors.append(_("The population must be between 0 and 200 million."))
            continue
        if category in table[variable]:
            errors.append(
                _("%(v)s · %(c)s is given twice.")
                % {"v": c.MarginVar(variable).label, "c": CATEGORIES[variable](category).label}
            )
            continue
        table[variable][category] = value
    errors.extend(sum_errors(table))
    return dict(table), errors


def sum_errors(table: dict) -> list[str]:
    """The variables whose categories do not add up to the same population."""
    if not table:
        return [_("No margins given.")]
    totals = {var: sum(cats.values()) for var, cats in table.items()}
    reference = max(totals.values())
    errors = []
    for var in CATEGORIES:
        if var not in totals:
            errors.append(_("%(v)s is missing.") % {"v": c.MarginVar(var).label})
        elif totals[var] != reference:
            errors.append(
                _("%(v)s adds up to %(n)s, not %(total)s.")
                % {"v": c.MarginVar(var).label, "n": f"{totals[var]:,}", "total": f"{reference:,}"}
            )
    return errors


def _replace(region_tables: dict, year: int, source: str) -> int:
    """Replace the margins of these regions and year (one delete, one bulk insert)."""
    PopulationMargin.objects.filter(region__in=list(region_tables), year=year).delete()
    objs = [
        PopulationMargin(
            region=region, year=year, variable=var, category=cat, population=n, source=source
        )
        for region, table in region_tables.items()
        for var, cats in table.items()
        for cat, n in cats.items()
    ]
    PopulationMargin.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


@transaction.atomic
def set_margins(region, year, rows, *, actor, source="") -> int:
    """Replace a region's margins of a census year with `rows` ([{variable, category,
    population}]); refused whole (nothing written) when any row is wrong or a variable
    does not add up."""
    _require(actor, region)
    table, errors = row_errors(rows)
    if errors:
        raise DomainError(" ".join(errors))
    before = margins_of(region, year)
    count = _replace({region: table}, year, source or _("Entered by an officer"))
    audit.record(
        "literacy.populationmargin.set", actor=actor, object_type="literacy.populationmargin",
        object_id=f"{region.code}/{year}", object_repr=f"{region.name} {year}",
        region_code=region.code,
        changes={"total": [_total(before), _total(table)]}, detail={"rows": count},
    )  # fmt: skip
    return count


def _total(table) -> int | None:
    sums = [sum(cats.values()) for cats in (table or {}).values()]
    return max(sums) if sums else None


def margins_of(region, year=CENSUS_YEAR) -> dict:
    """{variable: {category: population}} of a region."""
    table: dict = defaultdict(dict)
    rows = PopulationMargin.objects.filter(region=region, year=year)
    for var, cat, n in rows.values_list("variable", "category", "population"):
        table[var][cat] = n
    return dict(table)


def check_margins(region, year=CENSUS_YEAR) -> list[str]:
    """The region's variables that do not add up (an empty list when they all do), and
    whether its counties' margins add up to its own where both exist."""
    table = margins_of(region, year)
    if not table:
        return [_("No margins for %(r)s in %(y)s.") % {"r": region.name, "y": year}]
    errors = sum_errors(table)
    children = PopulationMargin.objects.filter(region__parent=region, year=year)
    sums = defaultdict(int)
    for var, n in children.values_list("variable", "population"):
        sums[var] += n
    if sums and not errors:
        own = _total(table)
        for var, n in sums.items():
            if n != own:
                errors.append(
                    _("The regions below add up to %(n)s for %(v)s, not %(total)s.")
                    % {"n": f"{n:,}", "v": c.MarginVar(var).label, "total": f"{own:,}"}
                )
                break
    return errors


# -- Excel import ----------------------------------------------------------------------


def margin_columns():
    return [
        Column("region", _("Region code"), required=True, example="510104"),
        Column("year", _("Census year"), example="2020", width=10),
        Column(
            "variable",
            _("Variable"),
            required=True,
            example="sex",
            width=14,
            choices=list(CATEGORIES),
            help=_("sex, age_band, area or education"),
        ),  # fmt: skip
        Column("category", _("Category"), required=True, example="m", width=14),
        Column("population", _("Population aged 18–69"), required=True, example="412345"),
    ]


class MarginImport(ImportSpec):
    """Margins from Excel, one row per region × variable × category; each region's rows
    are checked as a whole (a region whose variables do not add up is refused with a
    message on each of its rows)."""

    key = "literacy.populationmargin"
    title = gettext_lazy("Census margins")
    permission = "literacy.populationmargin.change"
    filename = "census-margins.xlsx"

    def columns(self):
        return margin_columns()

    def list_url(self):
        return reverse("literacy:margin_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        allowed = {r.code: r for r in scope.allowed_regions(actor, PopulationMargin, "change")}
        grouped: dict = defaultdict(list)
        headers = {col.key: col.header for col in self.columns()}
        for row, values in rows:
            code = values.get("region", "").strip()
            region = allowed.get(code)
            if region is None:
                plan.errors.append(
                    RowError(row, headers["region"],
                             _("Region code “%(v)s” does not exist or is outside your scope.")
                             % {"v": code})
                )  # fmt: skip
                continue
            year = values.get("year", "").strip() or str(CENSUS_YEAR)
            if not year.isdigit() or not 1950 <= int(year) <= 2100:
                plan.errors.append(RowError(row, headers["year"], _("Give the census year.")))
                continue
            grouped[(region, int(year))].append((row, values))
        for (region, year), group in grouped.items():
            table, errors = row_errors([v for _r, v in group])
            for message in errors:
                plan.errors.append(RowError(group[0][0], "", f"{region.name} {year}: {message}"))
            if not errors:
                plan.creates.append((region, year, table))
        if plan.errors:
            plan.creates = []
        return plan

    def apply(self, plan: Plan, actor) -> None:
        by_year = defaultdict(dict)
        for region, year, table in plan.creates:
            by_year[year][region] = table
        for year, tables in by_year.items():
            count = _replace(tables, year, _("Imported from Excel"))
            audit.record(
                "literacy.populationmargin.imported", actor=actor,
                object_type="literacy.populationmargin", object_id=str(year),
                object_repr=_("Census margins %(y)s") % {"y": year},
                detail={"regions": sorted(r.code for r in tables), "rows": count},
            )  # fmt: skip


register_spec(MarginImport())


# -- the demo province's margins --------------------------------------------------------

# Sichuan's 21 cities at the 7th census (2020): resident population (10,000s) and the
# urban share (%). The counties share their city's population by a seeded weight, the
# districts (区) more urban than the counties.
SICHUAN_2020 = {
    "5101": (2093.8, 78.8), "5103": (248.9, 56.1), "5104": (121.2, 68.8),
    "5105": (425.4, 50.2), "5106": (345.6, 54.6), "5107": (486.8, 53.4),
    "5108": (230.5, 46.6), "5109": (281.4, 51.9), "5110": (314.1, 50.0),
    "5111": (316.0, 53.2), "5113": (560.8, 49.4), "5114": (295.5, 47.1),
    "5115": (458.9, 51.4), "5116": (325.5, 40.8), "5117": (538.5, 46.2),
    "5118": (143.5, 49.4), "5119": (271.2, 43.2), "5120": (230.9, 42.7),
    "5132": (82.3, 41.7), "5133": (110.7, 32.2), "5134": (485.8, 37.5),
}  # fmt: skip
AGED_18_69 = 0.6  # about 60 % of residents are 18–69 (the 2020 census)
AGE_SHARES = {"18-29": 0.19, "30-39": 0.21, "40-49": 0.22, "50-59": 0.22, "60-69": 0.16}


def _seeded(code: str) -> float:
    return int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def _split(total: int, shares: dict) -> dict:
    """Integers adding up to exactly `total`, by largest remainder."""
    weight = sum(shares.values())
    raw = {k: total * v / weight for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def _county_table(population: int, urban: float) -> dict:
    college = 0.06 + 0.22 * urban
    education = {
        "primary": 0.42 - 0.30 * urban, "junior": 0.36 - 0.02 * urban,
        "senior": 0.12 + 0.08 * urban, "college": college * 0.55, "bachelor": college * 0.45,
    }  # fmt: skip
    return {
        "sex": _split(population, {"m": 0.505, "f": 0.495}),
        "age_band": _split(population, AGE_SHARES),
        "area": _split(population, {"urban": urban, "rural": 1 - urban}),
        "education": _split(population, education),
    }


def _add(into: dict, table: dict) -> None:
    for var, cats in table.items():
        for cat, n in cats.items():
            into.setdefault(var, {}).setdefault(cat, 0)
            into[var][cat] += n


@transaction.atomic
def load_demo_margins(province, *, actor=None, year=CENSUS_YEAR) -> int:
    """Margins for every county, city and the province itself, consistent in totals
    (a city is the sum of its counties), scaled to Sichuan's 7th census. Returns the
    number of regions given margins."""
    _require(actor, province)
    cities = list(province.children.order_by("code"))
    counties = defaultdict(list)
    for county in Region.objects.filter(parent__in=cities, level=RegionLevel.COUNTY).order_by(
        "code"
    ):
        counties[county.parent_id].append(county)
    tables: dict = {}
    province_table: dict = {}
    for city in cities:
        base, urban_pct = SICHUAN_2020.get(city.code, (200.0, 45.0))
        city_pop = round(base * 10_000 * AGED_18_69)
        members = counties.get(city.pk) or []
        if not members:
            continue
        weights = {
            co: (0.6 + _seeded(co.code)) * (1.6 if co.name.endswith("区") else 1.0)
            for co in members
        }
        pops = _split(city_pop, weights)
        city_table: dict = {}
        for county in members:
            lean = 0.25 if county.name.endswith("区") else -0.12
            urban = min(
                0.97, max(0.08, urban_pct / 100 + lean + 0.1 * (_seeded(county.path) - 0.5))
            )
            table = _county_table(pops[county], urban)
            tables[county] = table
            _add(city_table, table)
        tables[city] = city_table
        _add(province_table, city_table)
    tables[province] = province_table
    _replace(tables, year, _("7th census (demo, synthetic split by county)"))
    audit.record(
        "literacy.populationmargin.imported", actor=actor,
        object_type="literacy.populationmargin", object_id=str(year),
        object_repr=_("Census margins %(y)s") % {"y": year}, region_code=province.code,
        detail={"regions": len(tables), "demo": True},
    )  # fmt: skip
    return len(tables)
