"""The national headline values of the 科普统计 (domain.md §5.3), a reference series
shown beside the province's figures: the published totals of MOST's yearly statistics
bulletin as collected in the reference notes. None is "–": the source gives no figure
for that year. Each series names the indicator it matches (same code: the analysis shows
it beside the region's aggregate) and its unit as published (万人, 亿元, 元, 个).

Source: ../shared/reference/domain.md §5.3 (the URLs listed there, 5.1 and 5.2: the
yearly 全国科普统计 bulletins as reported by Xinhua, CCTV and others)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SOURCE = "全国科普统计（科学技术部年度公报，据新华社、央视网等公开报道整理）"

D = Decimal


@dataclass(frozen=True)
class Series:
    key: str
    label: object
    unit: str  # as published
    code: str  # the survey indicator it matches ("" none)
    # How many of the indicator's units make one published unit (人 → 万人: 10,000;
    # 万元 → 亿元: 10,000): the region's aggregate divided by it is comparable.
    scale: Decimal
    per_capita: bool  # a per-resident figure (compare with the per-capita value)
    values: dict[int, Decimal | None]


SERIES = [
    Series("staff", _("Science-popularization staff (full- and part-time)"), "万人", "",
           D(10000), False,
           {2010: D("175.14"), 2012: D("195.78"), 2015: D("205.38"), 2017: None, 2018: None,
            2019: D("187.06"), 2020: D("181.30"), 2021: D("182.75"), 2022: D("199.67"),
            2023: D("215.63")}),
    Series("staff_fulltime", _("Full-time science-popularization staff"), "万人", "KR100",
           D(10000), False,
           {2010: D("22.34"), 2012: D("23.11"), 2017: D("22.70"), 2023: D("29.32")}),
    Series("staff_parttime", _("Part-time science-popularization staff"), "万人", "KR200",
           D(10000), False, {2012: D("172.67")}),
    Series("funding", _("Science-popularization funding raised"), "亿元", "KJ100",
           D(10000), False,
           {2006: D("46.83"), 2010: D("99.52"), 2012: D("122.88"), 2015: D("141.2"),
            2017: D("160.05"), 2018: D("161.14"), 2019: D("185.52"), 2020: D("171.72"),
            2021: D("189.07"), 2022: D("191.00"), 2023: None}),
    Series("government_share", _("Government share of the funding"), "%", "",
           D(1), False,
           {2006: D("69.4"), 2010: D("68.42"), 2012: D("69.20"), 2015: None,
            2017: D("76.82"), 2018: D("78.20"), 2019: None, 2020: D("80.59"),
            2021: D("79.49"), 2022: D("80.79"), 2023: None}),
    Series("special_per_capita", _("Special science-popularization funds per resident"), "元",
           "KJ121", D(1), True,
           {2010: D("2.61"), 2012: D("3.31"), 2015: D("4.63"), 2017: D("4.51"),
            2018: D("4.45"), 2019: D("4.70"), 2020: None, 2021: D("4.71"), 2022: D("5.30"),
            2023: None}),
    Series("venues", _("Science centres and science and technology museums"), "个", "",
           D(1), False,
           {2006: D(859), 2010: D(1511), 2012: D(1735), 2015: D(1258), 2017: D(1439),
            2018: D(1461), 2019: D(1477), 2020: D(1525), 2021: D(1677), 2022: D(1683),
            2023: None}),
    Series("science_centres", _("Science centres"), "个", "KC100", D(1), False,
           {2006: D(280), 2015: D(444), 2021: D(661), 2022: D(694)}),
    Series("museums", _("Science and technology museums"), "个", "KC200", D(1), False,
           {2006: D(239), 2015: D(814), 2021: D(1016), 2022: D(989)}),
]  # fmt: skip

BY_CODE = {s.code: s for s in SERIES if s.code}


def years() -> list[int]:
    return sorted({year for s in SERIES for year in s.values})


def table() -> dict:
    """The series as rows for a page: {years, rows: [{label, unit, values: [..]}]}."""
    ys = years()
    return {
        "years": ys,
        "source": SOURCE,
        "rows": [
            {"key": s.key, "label": s.label, "unit": s.unit, "code": s.code,
             "values": [s.values.get(y) for y in ys]}
            for s in SERIES
        ],
    }  # fmt: skip


def reference(code: str, year: int) -> tuple[Series, Decimal | None, int | None] | None:
    """The national figure matching an indicator: the year's, else the latest before it
    (series, value, year); None when no series matches the code."""
    series = BY_CODE.get(code)
    if series is None:
        return None
    known = [y for y, v in series.values.items() if v is not None and y <= year]
    if not known:
        return series, None, None
    latest = max(known)
    return series, series.values[latest], latest
