"""Mid-term evaluation of demonstration areas: an area's creation cycle, a round of
evaluation on a rubric in use (the areas of the round's region whose cycle covers the
year join it), an area's self-assessment, each evaluator's score sheet, and publishing
the results (the mean of the evaluators' totals, graded by the rubric; the areas below
the pass mark failed the mid-term)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kepu.bases import choices as c
from kepu.bases.models import DemonstrationArea, MidtermEntry, MidtermEvaluation, MidtermScoresheet
from kepu.core import audit, clock, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.rubrics import engine
from kepu.rubrics.choices import Purpose, RubricStatus


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_cycle(start: int, end: int) -> None:
    if end <= start:
        raise DomainError({"cycle_end": [_("The cycle must end after the year it starts.")]})
    if end - start >= c.MAX_CYCLE_YEARS:
        raise DomainError(
            {"cycle_end": [_("A creation cycle lasts at most %(n)d years.") % {"n": 10}]}
        )


@transaction.atomic
def create_area(
    *, actor, name, kind, region, organization, cycle_start, cycle_end=None
) -> DemonstrationArea:
    """A demonstration area in its creation cycle (the officers of its region or above).
    A demonstration county is a county; a community or a science town lies in a county
    or a township."""
    if actor is not None:
        scope.require_region(actor, DemonstrationArea, "create", region)
    cycle_end = cycle_end or cycle_start + c.AREA_CYCLE_YEARS - 1
    _check_cycle(cycle_start, cycle_end)
    if kind in c.COUNTY_KINDS and region.level != RegionLevel.COUNTY:
        raise DomainError({"region": [_("A demonstration county is a county: choose one.")]})
    if kind not in c.COUNTY_KINDS and region.level < RegionLevel.COUNTY:
        raise DomainError({"region": [_("Choose the county or township where it lies.")]})
    taken = _("This region already has an area of this kind in this cycle.")
    if DemonstrationArea.objects.filter(region=region, kind=kind, cycle_start=cycle_start).exists():
        raise DomainError(taken)
    area = DemonstrationArea(
        name=name.strip() or region.name,
        kind=kind,
        region=region,
        organization=organization,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        created_by=_user(actor),
    )
    area.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # the constraint decides a race the check above lost
            area.save()
    except IntegrityError:
        raise DomainError(taken) from None
    audit.created(area, actor=actor)
    return area


def _check_rubric(rubric) -> None:
    from kepu.rubrics.models import Rubric

    usable = Rubric.objects.filter(
        pk=rubric.pk, status=RubricStatus.IN_USE, purpose=Purpose.MIDTERM
    ).exists()
    if not usable:
        raise DomainError({"rubric": [_("Choose a rubric in use for mid-term evaluation.")]})


@transaction.atomic
def create_evaluation(
    *, actor, name, region, rubric, year, pass_mark=Decimal(60), remarks=""
) -> MidtermEvaluation:
    """A round over the areas in `region`'s subtree still creating whose cycle covers
    `year` (each joins with an empty self-assessment). The rubric must be one the
    actor reads, in use for mid-term evaluation."""
    if actor is not None:
        scope.require_region(actor, MidtermEvaluation, "create", region)
        from kepu.rubrics.models import Rubric

        if not scope.visible_to(actor, Rubric).filter(pk=rubric.pk).exists():
            raise DomainError({"rubric": [_("Choose a rubric in use for mid-term evaluation.")]})
    _check_rubric(rubric)
    evaluation = MidtermEvaluation(
        name=name,
        region=region,
        rubric=rubric,
        year=year,
        pass_mark=pass_mark,
        remarks=remarks,
        created_by=_user(actor),
    )
    evaluation.full_clean()
    areas = list(
        DemonstrationArea.objects.filter(
            region__path__startswith=region.path,
            status=c.AreaStatus.CREATING,
            cycle_start__lte=year,
            cycle_end__gte=year,
        ).order_by("region__code", "pk")
    )
    if not areas:
        raise DomainError(_("No demonstration area of this region is in its cycle in that year."))
    evaluation.save()
    MidtermEntry.objects.bulk_create(MidtermEntry(evaluation=evaluation, area=a) for a in areas)
    audit.created(evaluation, actor=actor, detail={"areas": len(areas)})
    return evaluation


def _locked_evaluation(evaluation) -> MidtermEvaluation:
    return (
        MidtermEvaluation.objects.select_for_update(of=("self",))
        .select_related("rubric", "region")
        .get(pk=evaluation.pk)
    )


def _require_scoring(evaluation) -> None:
    if not evaluation.is_scoring():
        raise StateConflict(_("The results of this evaluation are published: nothing changes."))


def value_codes(rubric) -> list[str]:
    """The criteria an area reports a value for (banded or computed)."""
    return [cr.code for cr in rubric.criteria.all() if cr.takes_value]


def _clean_values(rubric, values: dict, codes) -> dict:
    """`values` for `codes` checked through the engine (numbers, within a band or the
    weight), as plain numbers for JSON."""
    kept = {code: values.get(code) for code in codes if values.get(code) not in (None, "")}
    engine.evaluate(rubric, kept, strict=False)  # raises DomainError on a bad value
    negative = [code for code, v in kept.items() if Decimal(str(v)) < 0]
    if negative:  # counts, rates and amounts an area reports are never below zero
        raise DomainError({code: [_("The value cannot be negative.")] for code in negative})
    return {code: f"{Decimal(str(v)).normalize():f}" for code, v in kept.items()}


@transaction.atomic
def save_self_assessment(entry: MidtermEntry, *, actor, values: dict) -> MidtermEntry:
    """An area's self-assessment: the values of the rubric's banded criteria (the officers
    of the area's region, or above, while the round is scoring)."""
    evaluation = _locked_evaluation(entry.evaluation)
    entry = MidtermEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if actor is not None:
        scope.check(actor, entry, "change")
    _require_scoring(evaluation)
    codes = value_codes(evaluation.rubric)
    cleaned = _clean_values(evaluation.rubric, values, codes)
    missing = [code for code in codes if code not in cleaned]
    if missing:
        raise DomainError({code: [_("Give this value.")] for code in missing})
    before = audit.snapshot(entry)
    entry.values, entry.self_assessed_at = cleaned, clock.now()
    entry.save(update_fields=["values", "self_assessed_at"])
    audit.record(
        "bases.midtermentry.self_assessed",
        obj=entry,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(entry)),
    )
    return entry


@transaction.atomic
def submit_scoresheet(
    entry: MidtermEntry, *, actor, points: dict, values: dict | None = None, comment=""
) -> MidtermScoresheet:
    """An evaluator's score sheet for an area: the points of the manual criteria, the
    values of the others (the self-assessment's unless corrected). Every criterion must be
    scored; submitting again replaces the evaluator's sheet while the round is scoring.
    An evaluator does not score an area of their own region (conflict of interest)."""
    evaluation = _locked_evaluation(entry.evaluation)
    entry = MidtermEntry.objects.select_related("area__region").get(pk=entry.pk)
    if actor is not None:
        scope.check(actor, evaluation, "score")
        if _own_area(actor, entry.area):
            raise DomainError(_("You may not score an area of your own region."))
    _require_scoring(evaluation)
    rubric = evaluation.rubric
    corrected = _clean_values(rubric, values or {}, value_codes(rubric))
    merged = {**entry.values, **corrected}
    merged.update({k: v for k, v in points.items() if v not in (None, "")})
    result = engine.evaluate(rubric, merged, strict=True)
    sheet = MidtermScoresheet.objects.filter(entry=entry, evaluator=actor).first()
    before = audit.snapshot(sheet) if sheet else {}
    sheet = sheet or MidtermScoresheet(entry=entry, evaluator=actor, rubric=rubric)
    sheet.values = {ln.code: f"{ln.value.normalize():f}" for ln in result.lines}
    sheet.lines, sheet.total, sheet.grade = result.points(), result.total, result.grade
    sheet.comment, sheet.submitted_at = comment.strip()[:2000], clock.now()
    sheet.save()
    audit.record(
        "bases.midtermentry.scored",
        obj=entry,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(sheet)),
        detail={"total": f"{result.total}"},
    )
    return sheet


def _own_area(actor, area) -> bool:
    """The actor is an officer of the area's own region (not of a region above it)."""
    return any(root.pk == area.region_id for root in scope.scope_roots(actor))


def results(evaluation) -> dict:
    """{entry id: (mean total or None, grade, passed, sheets)} from the submitted sheets,
    one grouped read."""
    from django.db.models import Count, Sum

    rows = (
        MidtermScoresheet.objects.filter(entry__evaluation=evaluation, submitted_at__isnull=False)
        .values("entry_id")
        .annotate(sum=Sum("total"), n=Count("pk"))
        .order_by()
    )
    out = {}
    for row in rows:
        # The exact sum of two-place totals, divided once and rounded half up.
        total = engine.mean_total([Decimal(str(row["sum"])) / row["n"]])
        out[row["entry_id"]] = (
            total,
            engine.grade_of(evaluation.rubric, total),
            total >= evaluation.pass_mark,
            row["n"],
        )
    return out


@transaction.atomic
def publish_evaluation(evaluation: MidtermEvaluation, *, actor) -> MidtermEvaluation:
    """Publish the results: each area's mean total and grade, passed at the pass mark; the
    areas move on (passed or failed the mid-term). Every area must have been scored."""
    evaluation = _locked_evaluation(evaluation)
    if actor is not None:
        scope.check(actor, evaluation, "publish")
    _require_scoring(evaluation)
    entries = list(evaluation.entries.select_related("area").order_by("pk"))
    computed = results(evaluation)
    unscored = [e.area.name for e in entries if e.pk not in computed]
    if unscored:
        raise DomainError(
            _("These areas have no score sheet yet: %(names)s")
            % {"names": _(", ").join(unscored[:10])}
        )
    for entry in entries:
        entry.total, entry.grade, entry.passed, _n = computed[entry.pk]
    MidtermEntry.objects.bulk_update(entries, ["total", "grade", "passed"])
    passed = [e.area_id for e in entries if e.passed]
    failed = [e.area_id for e in entries if not e.passed]
    DemonstrationArea.objects.filter(pk__in=passed).update(status=c.AreaStatus.MIDTERM_PASSED)
    DemonstrationArea.objects.filter(pk__in=failed).update(status=c.AreaStatus.MIDTERM_FAILED)
    evaluation.status, evaluation.published_at = c.EvaluationStatus.PUBLISHED, clock.now()
    evaluation.save(update_fields=["status", "published_at"])
    audit.record(
        "bases.midtermevaluation.published",
        obj=evaluation,
        actor=actor,
        changes={"status": [c.EvaluationStatus.SCORING, c.EvaluationStatus.PUBLISHED]},
        detail={"passed": len(passed), "failed": len(failed)},
    )
    return evaluation


@transaction.atomic
def conclude_area(area: DemonstrationArea, *, actor, named: bool) -> DemonstrationArea:
    """The end of the creation cycle: the area is named (or not) by the officers above it
    (an area is never named by its own region's officers), once its cycle's last year has
    come and its mid-term evaluation is published."""
    area = DemonstrationArea.objects.select_for_update(of=("self",)).get(pk=area.pk)
    if actor is not None:
        scope.check(actor, area, "conclude")
        if _own_area(actor, area):
            raise DomainError(_("An area is named by the officers above its region."))
    if not area.can_conclude():
        raise StateConflict(
            _("This area is “%(status)s”: it is named after its mid-term evaluation.")
            % {"status": area.get_status_display()}
        )
    if clock.today().year < area.cycle_end:
        raise DomainError(
            _("The creation cycle ends in %(year)d: it is named then.") % {"year": area.cycle_end}
        )
    previous = area.status
    area.status = c.AreaStatus.NAMED if named else c.AreaStatus.NOT_NAMED
    area.save(update_fields=["status"])
    audit.record(
        "bases.demonstrationarea.named" if named else "bases.demonstrationarea.not_named",
        obj=area,
        actor=actor,
        changes={"status": [previous, area.status]},
    )
    return area
