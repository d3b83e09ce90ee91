"""Live counts of the registry by region: the truth for targets such as seed 000's
+5,000 part-time staff, shown on the statistics page and served by the API."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from kepu.core import periods
from kepu.core.models import Region
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import visible_to
from kepu.people.choices import HIGH_LEVEL_TITLES, RegistrationKind, RegistrationStatus
from kepu.people.models import Person, Registration

DEFAULT_BASELINE = datetime.date(2023, 1, 1)  # seed 000: targets count from 2023

# Column labels short enough for a table header and a chart legend.
SHORT_LABELS = [
    (RegistrationKind.FULL_TIME, gettext_lazy("Full-time staff")),
    (RegistrationKind.PART_TIME, gettext_lazy("Part-time staff")),
    (RegistrationKind.VOLUNTEER, gettext_lazy("Volunteers")),
    (RegistrationKind.INFO_OFFICER, gettext_lazy("Information officers")),
    (RegistrationKind.EXPERT, gettext_lazy("Experts")),
]


def baseline_date(params) -> datetime.date:
    """`?since=YYYY-MM-DD` of the query parameters (a request is accepted too), else the
    targets' baseline."""
    params = getattr(params, "GET", params)
    return periods.parse_date(params.get("since")) or DEFAULT_BASELINE


def region_stats(user, focus, since):
    """Rows of [region, figures] for the children of `focus`, plus the focus total."""
    certified = visible_to(user, Registration).filter(status=RegistrationStatus.CERTIFIED)
    kinds = {k.value: Q(kind=k) for k in RegistrationKind}
    kinds["new"] = Q(start_date__gte=since)
    reg_rows, reg_direct = counts_by_child_region(certified, focus, measures=kinds)
    people = visible_to(user, Person).live()
    person_rows, person_direct = counts_by_child_region(
        people,
        focus,
        measures={"high": Q(title_level__in=HIGH_LEVEL_TITLES)},
        aggregates={"disciplines": Count("discipline", distinct=True, filter=~Q(discipline=""))},
    )
    rows = []
    for (region, regs), (_r, persons) in zip(reg_rows, person_rows, strict=True):
        rows.append((region, _figures(region, regs, persons)))
    person_total = _sum(person_rows, person_direct)
    # Distinct disciplines do not add up across sub-regions: count them over the subtree.
    person_total["disciplines"] = people.filter(
        region__in=Region.objects.subtree(focus).values("pk")
    ).aggregate(n=Count("discipline", distinct=True, filter=~Q(discipline="")))["n"]
    total = _figures(focus, _sum(reg_rows, reg_direct), person_total)
    return rows, total


def _sum(rows, direct):
    total = {k: v or 0 for k, v in direct.items()}
    for _region, counts in rows:
        for key, value in counts.items():
            if key != "disciplines":
                total[key] = total.get(key, 0) + (value or 0)
    return total


def _figures(region, regs, persons):
    people_total = persons.get("total") or 0
    officers = regs.get(RegistrationKind.INFO_OFFICER) or 0
    return {
        **{k: regs.get(k) or 0 for k in [*RegistrationKind.values, "new"]},
        "people": people_total,
        "high_share": round(100 * (persons.get("high") or 0) / people_total, 1)
        if people_total
        else None,
        "disciplines": persons.get("disciplines") or 0,
        "officers_per_10k": round(officers * 10000 / region.population, 2)
        if region.population
        else None,
    }
