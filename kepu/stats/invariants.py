"""What must hold of the survey's stored data (`kepu.core.invariants`). Each check runs a
bounded number of queries whatever the data size (20,000 returns × 200 values a round)
and names at most 20 rows."""

from django.db.models import Count, Q, Sum

from kepu.core.invariants import invariant
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, Return, SurveyRound, Value

LIMIT = 20
ROUNDS = 5  # the latest rounds are checked


@invariant("stats")
def county_aggregates_are_their_accepted_values():
    """For each of the latest rounds, the aggregates of one county (the first one with
    accepted returns) are the sums and counts of its accepted returns' values: the
    rollups kept by the services equal a recompute there."""
    wrong = []
    for survey in SurveyRound.objects.order_by("-year", "-pk")[:ROUNDS]:
        region_id = (
            Return.objects.filter(round=survey, status=c.ReturnStatus.ACCEPTED, region__level=3)
            .order_by("region_id")
            .values_list("region_id", flat=True)
            .first()
        )
        if region_id is None:
            continue
        raw = {
            indicator: (total, n)
            for indicator, total, n in Value.objects.filter(
                ret__round=survey, ret__region_id=region_id,
                ret__status=c.ReturnStatus.ACCEPTED, value__isnull=False,
            ).values_list("indicator_id").annotate(total=Sum("value"), n=Count("id")).order_by()
        }  # fmt: skip
        kept = {
            indicator: (value, units)
            for indicator, value, units in Aggregate.objects.filter(
                round=survey, region_id=region_id
            ).values_list("indicator_id", "value", "units")
        }
        for indicator in sorted(raw.keys() | kept.keys()):
            if raw.get(indicator) != kept.get(indicator):
                wrong.append((survey.pk, region_id, indicator, kept.get(indicator),
                              raw.get(indicator)))  # fmt: skip
    for pk, region, indicator, kept, raw in wrong[:LIMIT]:
        yield (
            f"round {pk} region {region} indicator {indicator}: aggregate {kept}, "
            f"accepted values {raw}"
        )


@invariant("stats")
def accepted_returns_have_their_dates():
    """An accepted return has been submitted and accepted (both dates set); a return not
    started holds no values."""
    for pk in (
        Return.objects.filter(status=c.ReturnStatus.ACCEPTED)
        .filter(Q(accepted_at__isnull=True) | Q(submitted_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)[:LIMIT]
    ):
        yield f"return {pk} is accepted without its submission or acceptance date"
    for pk in (
        Value.objects.filter(ret__status=c.ReturnStatus.NOT_STARTED)
        .order_by("ret_id")
        .values_list("ret_id", flat=True)
        .distinct()[:LIMIT]
    ):
        yield f"return {pk} is not started but holds values"
