"""What must hold of the literacy app's stored data (`kepu.core.invariants`). Each check
runs a bounded number of queries whatever the data size and names at most 20 rows."""

from django.db.models import Count, F, Q

from kepu.core.choices import RegionLevel
from kepu.core.invariants import invariant
from kepu.literacy import choices as c
from kepu.literacy import scoring
from kepu.literacy.models import (
    Estimate,
    EstimationRun,
    Response,
    SamplePoint,
    Stratum,
    SurveyRound,
)

LIMIT = 20
SAMPLE = 100  # responses re-scored from each end of the table
KEPT = ~Q(quality=c.Quality.EXCLUDED)


@invariant("literacy")
def round_counters_equal_the_rows():
    counted = {
        row["round_id"]: (row["n"], row["v"])
        for row in Response.objects.values("round_id")
        .annotate(n=Count("pk"), v=Count("pk", filter=KEPT))
        .order_by()
    }
    shown = SurveyRound.objects.values_list("pk", "response_count", "valid_count")
    wrong = [
        (pk, n, v, counted.get(pk, (0, 0)))
        for pk, n, v in shown.order_by("pk")
        if (n, v) != counted.get(pk, (0, 0))
    ]
    for pk, n, v, (rows, kept) in wrong[:LIMIT]:
        yield f"round {pk} counts {n} responses ({v} valid), its rows {rows} ({kept})"


@invariant("literacy")
def stratum_counters_equal_the_rows():
    counted = {
        row["stratum_id"]: (row["n"], row["v"])
        for row in Response.objects.exclude(stratum=None)
        .values("stratum_id")
        .annotate(n=Count("pk"), v=Count("pk", filter=KEPT))
        .order_by()
    }
    wrong = []
    for pk, n, v in Stratum.objects.values_list("pk", "responses", "valid").order_by("pk"):
        if (n, v) != counted.get(pk, (0, 0)):
            wrong.append((pk, n, v, counted.get(pk, (0, 0))))
            if len(wrong) >= LIMIT:
                break
    for pk, n, v, (rows, kept) in wrong:
        yield f"stratum {pk} counts {n} responses ({v} valid), its rows {rows} ({kept})"


@invariant("literacy")
def point_counters_equal_the_rows():
    counted = dict(
        Response.objects.exclude(point=None)
        .values_list("point_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    wrong = []
    for pk, n in SamplePoint.objects.values_list("pk", "responses").order_by("pk"):
        if n != counted.get(pk, 0):
            wrong.append((pk, n, counted.get(pk, 0)))
            if len(wrong) >= LIMIT:
                break
    for pk, n, rows in wrong:
        yield f"sample point {pk} counts {n} responses, its rows {rows}"


@invariant("literacy")
def responses_sit_in_their_rounds_frame():
    """A response's stratum is of its round and of its county; its point is of its
    round and of its stratum."""
    outside = Response.objects.filter(
        ~Q(stratum__round_id=F("round_id"))
        | ~Q(stratum__region_id=F("region_id"))
        | Q(point__isnull=False) & (
            ~Q(point__round_id=F("round_id")) | ~Q(point__stratum_id=F("stratum_id"))
        )
    )  # fmt: skip
    for pk in outside.values_list("pk", flat=True)[:LIMIT]:
        yield f"response {pk}: its stratum or sample point is not of its round and county"
    points = SamplePoint.objects.exclude(stratum__round_id=F("round_id"))
    for pk in points.values_list("pk", flat=True)[:LIMIT]:
        yield f"sample point {pk} is in a stratum of another round"


@invariant("literacy")
def stored_scores_agree_with_the_scoring():
    """The first and the last responses (by id) of the scored rounds, scored again one
    by one (`scoring.score`), give the stored total, dimension scores, tier and
    verdict."""
    from kepu.literacy.services.fielding import scheme_of, slots_of

    scored = Response.objects.filter(total__isnull=False).select_related("form", "round")
    fields = ("pk", "form", "round", "answers", "total", "dimension_scores", "tier", "literate")
    rows = [
        *scored.order_by("pk").only(*fields)[:SAMPLE],
        *scored.order_by("-pk").only(*fields)[:SAMPLE],
    ]
    seen, wrong = set(), []
    for r in rows:
        if r.pk in seen:
            continue
        seen.add(r.pk)
        result = scoring.score(scheme_of(r.round.instrument_id), slots_of(r.form), r.answers)
        dims = {k: float(v) for k, v in result.dimension_scores.items()}
        stored = {k: float(v) for k, v in (r.dimension_scores or {}).items()}
        if (result.total, result.tier, result.literate, dims) != (
            r.total,
            r.tier,
            r.literate,
            stored,
        ):
            wrong.append((r.pk, r.total, r.tier, result.total, result.tier))
    for pk, total, tier, again, tier_again in wrong[:LIMIT]:
        yield f"response {pk} stores {total} ({tier}), its answers score {again} ({tier_again})"


@invariant("literacy")
def one_current_estimation_per_round():
    rows = (
        EstimationRun.objects.filter(is_current=True)
        .values("round_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    for row in rows[:LIMIT]:
        yield f"round {row['round_id']} has {row['n']} current estimation runs"


@invariant("literacy")
def each_county_has_one_published_literate_share():
    """In a current run, every county with a literate-share figure has exactly one
    published (the direct estimate or the model-based one)."""
    rows = (
        Estimate.objects.filter(
            run__is_current=True,
            measure=c.Measure.LITERATE,
            group_var=c.GroupVar.ALL,
            region__level=RegionLevel.COUNTY,
        )  # fmt: skip
        .values("run_id", "region_id")
        .annotate(p=Count("pk", filter=Q(published=True)))
        .exclude(p=1)
        .order_by("run_id", "region_id")
    )
    for row in rows[:LIMIT]:
        yield (
            f"run {row['run_id']}: county {row['region_id']} has {row['p']} published "
            "literate shares"
        )
