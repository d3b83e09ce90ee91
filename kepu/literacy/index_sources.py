"""The sources a 科普指数 reads: {code: Source(label, unit, function(regions, year) ->
{region pk: value})}. Each reads a registry through the counts the platform already
keeps (the plans' registry indicators: one grouped query, or the rollup counters for
the whole months), never row by row; the literacy rate reads the latest published
estimates.

科普经费 and the press and broadcast figures of 科普传媒 come from the science-
popularization statistics survey (kepu.stats): the approved aggregates of the latest
published round up to the year. Until a round is published their nodes show "no source
yet" (`available` is False) and are left out of the weights, as the method note says."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

EVER = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class Source:
    code: str
    label: object
    unit: object
    read: Callable | None  # (regions, year) -> {region pk: value}; None: no source yet
    # () -> bool: whether the source holds anything yet (the survey: a published round)
    exists: Callable | None = None

    @property
    def available(self) -> bool:
        return self.read is not None and (self.exists is None or self.exists())


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _stock(code: str):
    """Rows of a registry indicator counted from the beginning up to the year's end (the
    registered stock: certified people, listed bases)."""

    def read(regions, year):
        from kepu.plans import indicators

        return indicators.REGISTRY[code].for_regions(regions, EVER, _year_end(year))

    return read


def _stocks(*codes):
    def read(regions, year):
        totals: dict[int, float] = {r.pk: 0 for r in regions}
        for code in codes:
            for pk, n in _stock(code)(regions, year).items():
                totals[pk] += n
        return totals

    return read


def _in_year(code: str):
    """Rows of a registry indicator that entered during the year (activities held,
    orders served)."""

    def read(regions, year):
        from kepu.plans import indicators

        return indicators.REGISTRY[code].for_regions(regions, _year_end(year - 1), _year_end(year))

    return read


def _published_resources(regions, year):
    """Catalog entries published up to the year's end and still listed."""
    from kepu.plans.indicators import Indicator, _local_midnight
    from kepu.resources.choices import ResourceStatus
    from kepu.resources.models import Resource

    counter = Indicator(
        "resources.published", "", "", "",
        lambda: Resource.objects.filter(status=ResourceStatus.PUBLISHED),
        lambda since, until: Q(published_at__lt=_local_midnight(until + datetime.timedelta(1))),
        "region__path", "organization",
    )  # fmt: skip
    return counter.for_regions(regions, EVER, _year_end(year))


def _literacy_rate(regions, year):
    """The literate share (in percent) of the latest published estimate for each region
    in rounds up to the year (direct or, for a county, the published model-based one)."""
    from kepu.literacy.reports import latest_rates

    return {pk: value for pk, (value, _round) in latest_rates(regions, until_year=year).items()}


def _published_survey() -> bool:
    from kepu.stats.choices import RoundStatus
    from kepu.stats.models import SurveyRound

    return SurveyRound.objects.filter(status=RoundStatus.PUBLISHED).exists()


def _survey_totals(regions, year, codes) -> dict[int, float]:
    """{region pk: the sum of `codes`} in the latest published round up to the year whose
    tree holds the region (its approved aggregates); regions outside every such round
    are missing."""
    from kepu.stats.choices import RoundStatus
    from kepu.stats.models import Aggregate, SurveyRound

    rounds = list(
        SurveyRound.objects.filter(status=RoundStatus.PUBLISHED, year__lte=year)
        .select_related("region")
        .order_by("-year", "pk")
    )
    chosen: dict[int, list[int]] = {}
    for region in regions:
        survey = next((s for s in rounds if region.path.startswith(s.region.path)), None)
        if survey is not None:
            chosen.setdefault(survey.pk, []).append(region.pk)
    out: dict[int, float] = {}
    for survey_pk, region_ids in chosen.items():
        for region_id in region_ids:
            out[region_id] = 0.0
        rows = (
            Aggregate.objects.filter(
                round_id=survey_pk, region_id__in=region_ids, indicator__code__in=codes
            )
            .values_list("region_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for region_id, total in rows:
            out[region_id] = float(total or 0)
    return out


def _survey_funding(regions, year):
    """Science-popularization funding raised (KJ100, 万元) per inhabitant, in yuan."""
    totals = _survey_totals(regions, year, ["KJ100"])
    people = population(regions, year)
    return {pk: v * 10000 / people[pk] for pk, v in totals.items() if people.get(pk)}


def _survey_media(regions, year):
    """Science periodicals, newspaper science columns, websites and WeChat accounts
    (KM210 + KM510 + KM800 + KM810)."""
    return _survey_totals(regions, year, ["KM210", "KM510", "KM800", "KM810"])


SOURCES = {
    s.code: s
    for s in (
        Source("people.fulltime", _("Certified full-time science-popularization staff"),
               _("people"), _stock("people.fulltime_added")),
        Source("people.parttime", _("Certified part-time science-popularization staff"),
               _("people"), _stock("people.parttime_added")),
        Source("people.volunteers", _("Certified science and technology volunteers"),
               _("people"), _stock("people.volunteers_added")),
        Source("bases.listed", _("Listed national and provincial science-education bases"),
               _("bases"), _stocks("bases.national", "bases.provincial")),
        Source("resources.published", _("Science-popularization resources published"),
               _("resources"), _published_resources),
        Source("activities.held", _("Science-popularization activities held in the year"),
               _("activities"), _in_year("activities.published")),
        Source("volunteering.served", _("Volunteer service orders served in the year"),
               _("orders"), _in_year("volunteering.orders_served")),
        Source("literacy.rate", _("Share of citizens with scientific literacy"), "%",
               _literacy_rate),
        Source("survey.funding", _("Science-popularization funding per inhabitant"),
               _("yuan"), _survey_funding, _published_survey),
        Source("survey.media", _("Science press, broadcasting and online outlets"),
               _("outlets"), _survey_media, _published_survey),
    )
}  # fmt: skip


def population(regions, year) -> dict[int, int]:
    """{region pk: population} for per-capita values: the census margins' total (the
    surveyed ages, summed over sex) of the latest census up to the year, else the
    resident population the officers entered; missing when neither is known."""
    from kepu.literacy.models import PopulationMargin

    regions = list(regions)
    rows = (
        PopulationMargin.objects.filter(
            region__in=[r.pk for r in regions], variable="sex", year__lte=year
        )
        .values_list("region_id", "year")
        .annotate(total=Sum("population"))
        .order_by("region_id", "year")
    )
    found = {region_id: total for region_id, _y, total in rows}  # the latest year wins
    out = {}
    for r in regions:
        value = found.get(r.pk) or r.population
        if value:
            out[r.pk] = int(value)
    return out


# The default tree (科普人员, 科普经费, 科普场地, 科普传媒, 科普活动, 公民科学素质):
# (code, name, expert weight, [(code, name, source, per capita, expert weight)]).
DEFAULT_TREE = [
    ("staff", "科普人员", "0.20", [
        ("staff_fulltime", "专职科普人员（每万人）", "people.fulltime", True, "0.50"),
        ("staff_parttime", "兼职科普人员（每万人）", "people.parttime", True, "0.25"),
        ("staff_volunteers", "科技志愿者（每万人）", "people.volunteers", True, "0.25"),
    ]),
    ("funding", "科普经费", "0.15", [
        ("funding_per_capita", "人均科普经费", "survey.funding", False, "1"),
    ]),
    ("venues", "科普场地", "0.15", [
        ("venues_bases", "科普教育基地（每万人）", "bases.listed", True, "1"),
    ]),
    ("media", "科普传媒", "0.10", [
        ("media_resources", "科普资源发布（每万人）", "resources.published", True, "0.5"),
        ("media_outlets", "科普报刊、广播电视与网络传播", "survey.media", False, "0.5"),
    ]),
    ("activities", "科普活动", "0.20", [
        ("activities_held", "科普活动举办（每万人）", "activities.held", True, "0.6"),
        ("activities_orders", "志愿服务订单完成（每万人）", "volunteering.served", True, "0.4"),
    ]),
    ("literacy", "公民科学素质", "0.20", [
        ("literacy_rate", "具备科学素质的公民比例", "literacy.rate", False, "1"),
    ]),
]  # fmt: skip
