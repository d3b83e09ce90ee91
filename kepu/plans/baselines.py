"""One baseline per plan, used everywhere (issue 26): the registry statistics count "new
since" from the baseline of the plan whose targets the registry measures, so the talent
plan's 2023-12-20 is the same day on its targets and on the people statistics."""

from kepu.core.models import Region
from kepu.people.stats import register_baseline_provider
from kepu.plans import choices as c
from kepu.plans.models import Target


@register_baseline_provider
def people_plan_baseline(region: Region):
    """(baseline day, plan title) of the latest published plan of `region` or a region
    above it with a target measured from the people registry, or None."""
    target = (
        Target.objects.filter(
            parent__isnull=True,
            source=c.TargetSource.MEASURED,
            indicator__startswith="people.",
            plan__status__in=c.PUBLIC_PLAN_STATUSES,
            plan__region__code__in=region.ancestor_codes,
        )
        .select_related("plan")
        .order_by("-plan__period_end", "-plan__pk")
        .only("baseline_date", "plan__baseline_date", "plan__title", "plan__short_title")
        .first()
    )
    if target is None:
        return None
    plan = target.plan
    return plan.baseline_date or target.baseline_date, plan.short_title or plan.title
