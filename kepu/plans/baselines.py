"""One baseline per plan, used everywhere (issue 26): the registry statistics count "new
since" from the baseline of the plan whose targets the registry measures, so the talent
plan's 2023-12-20 is the same day on its targets and on the people statistics."""

import datetime

from kepu.core import clock
from kepu.core.models import Region
from kepu.people.stats import register_baseline_provider
from kepu.plans import choices as c
from kepu.plans.models import Target


@register_baseline_provider
def people_plan_baselines(region: Region) -> list[tuple[int, datetime.date, str]]:
    """[(plan id, baseline day, title)] of the published plans of `region` or a region
    above it with a target measured from the people registry: the plan in force today
    first, then the others, latest first."""
    targets = (
        Target.objects.filter(
            parent__isnull=True,
            source=c.TargetSource.MEASURED,
            indicator__startswith="people.",
            plan__status__in=c.PUBLIC_PLAN_STATUSES,
            plan__region__code__in=region.ancestor_codes,
        )
        .select_related("plan")
        .order_by("-plan__period_end", "-plan__pk", "baseline_date")
        .only(
            "baseline_date",
            "plan__baseline_date",
            "plan__title",
            "plan__short_title",
            "plan__period_start",
            "plan__period_end",
        )
    )
    today = clock.today()
    plans = {}
    for target in targets[:50]:
        plans.setdefault(target.plan_id, target)
    found = [
        (
            not (t.plan.period_start <= today <= t.plan.period_end),
            t.plan_id,
            t.plan.baseline_date or t.baseline_date,
            t.plan.short_title or t.plan.title,
        )
        for t in plans.values()
    ]
    return [row[1:] for row in sorted(found, key=lambda row: row[0])]
