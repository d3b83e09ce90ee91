"""Evaluation rounds (annual, and mid-term of a recognition cycle) on the one rubric
engine: a round holds one result per base of its level in its region; the officers give
the manual points, the computation takes the report criteria from the accepted
self-report (0 and flagged without one), the computed criteria from the registries and
the manual ones from the officers (the safety criterion defaulted from a recorded spot
check), scores every base at once and writes the results in bulk; published, the grades
are public and the subsidy reads them (`kepu.bases.scores`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from kepu.bases import annual_choices as c
from kepu.bases.models import AnnualEvaluation, AnnualReport, Base, EvaluationRound, SpotCheck
from kepu.bases.services.annual import _check_year, _user, require
from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.rubrics import engine
from kepu.rubrics.choices import Method, Purpose, RubricStatus

RESULTS_TAG = "bases-results"
PURPOSES = {
    c.RoundKind.ANNUAL: (Purpose.BASE_ANNUAL,),
    c.RoundKind.MIDTERM: (Purpose.MIDTERM, Purpose.BASE_ANNUAL),
}
CHUNK = 1000


def round_bases(round_: EvaluationRound):
    """The bases a round evaluates: listed, of its level, in its region (its batch)."""
    rows = Base.objects.listed().filter(
        level=round_.level, region__path__startswith=round_.region.path
    )
    if round_.batch:
        rows = rows.filter(batch=round_.batch)
    return rows


@transaction.atomic
def create_round(
    *, actor, region, year, level, rubric, kind=c.RoundKind.ANNUAL, batch="", title=""
) -> EvaluationRound:
    """Open a round: the region's officers evaluate its bases of `level` on `rubric` (in
    use, made for this purpose, owned by the region or above)."""
    scope.require_region(actor, EvaluationRound, "create", region)
    year = _check_year(year)
    errors = {}
    if rubric.status != RubricStatus.IN_USE:
        errors["rubric"] = [_("Choose a rubric in use.")]
    elif rubric.purpose not in PURPOSES[kind]:
        errors["rubric"] = [_("This rubric is not made for this evaluation.")]
    elif not region.path.startswith(rubric.region.path):
        errors["rubric"] = [_("Choose a rubric of this region or above.")]
    if errors:
        raise DomainError(errors)
    engine.validate(rubric)
    if EvaluationRound.objects.filter(
        kind=kind, year=year, region=region, level=level, batch=batch.strip()
    ).exists():
        raise DomainError(_("This region already has this evaluation for this year."))
    round_ = EvaluationRound(
        kind=kind,
        year=year,
        region=region,
        level=level,
        batch=batch.strip(),
        rubric=rubric,
        title=title.strip()
        or _("%(region)s %(year)s %(kind)s")
        % {"region": region.name, "year": year, "kind": c.RoundKind(kind).label},
        created_by=_user(actor),
    )
    round_.full_clean(validate_constraints=False)
    round_.save()
    audit.created(round_, actor=actor)
    return round_


def manual_criteria(rubric):
    return [cr for cr in rubric.criteria.all() if cr.method == Method.MANUAL]


@transaction.atomic
def set_manual_scores(evaluation: AnnualEvaluation, *, actor, scores: dict) -> AnnualEvaluation:
    """The officers' points on the manual criteria of one base (each 0 to its weight;
    an empty value leaves the criterion unscored). Recompute the round to see them."""
    evaluation = (
        AnnualEvaluation.objects.select_for_update(of=("self",))
        .select_related("round", "round__rubric", "region")
        .get(pk=evaluation.pk)
    )
    require(actor, evaluation, "change")
    if not evaluation.round.can_score():
        raise StateConflict(_("The results of this round are published; they no longer change."))
    criteria = {cr.code: cr for cr in manual_criteria(evaluation.round.rubric)}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise DomainError(
            _("These criteria are not scored by hand: %(c)s") % {"c": ", ".join(sorted(unknown))}
        )
    errors, manual = {}, {}
    for code, raw in scores.items():
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            value = None
        weight = criteria[code].weight
        if value is None or not value.is_finite() or not (0 <= value <= weight):
            errors[code] = [
                _("%(name)s: the points must be 0 to %(weight)s.")
                % {"name": criteria[code].name, "weight": f"{weight.normalize():f}"}
            ]
            continue
        manual[code] = f"{value}"
    if errors:
        raise DomainError(errors)
    before = audit.snapshot(evaluation)
    evaluation.manual = manual
    evaluation.save(update_fields=["manual"])
    audit.record(
        "bases.annualevaluation.scored",
        obj=evaluation,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(evaluation)),
    )
    return evaluation


def _spot_check_points(weight: Decimal, passed: bool, adjustment: Decimal) -> str:
    points = (weight if passed else weight / 2) + adjustment
    return f"{min(max(points, Decimal(0)), weight)}"


def _values(round_: EvaluationRound, base_ids: list, manual_by_base: dict) -> tuple[dict, dict]:
    """({base id: {criterion code: value}}, {base id: (visitors, no report)})."""
    rubric = round_.rubric
    codes = {cr.code: cr for cr in rubric.criteria.all()}
    reports = {
        row[0]: row[1:]
        for row in AnnualReport.objects.filter(
            year=round_.year, base_id__in=base_ids, status=c.ReportStatus.ACCEPTED
        ).values_list("base_id", *c.REPORT_VALUES.values())
    }
    checks = {}
    for base_id, passed, adjustment in (
        SpotCheck.objects.filter(
            year=round_.year,
            base_id__in=base_ids,
            kind=c.SpotCheckKind.ANNUAL,
            status=c.SpotCheckStatus.RECORDED,
        )
        .order_by("base_id", "recorded_at", "pk")
        .values_list("base_id", "passed", "adjustment")
    ):
        checks[base_id] = (passed, adjustment)  # the latest wins
    auto = engine.auto_values(rubric, base_ids, {"year": round_.year})
    report_codes = [(code, i) for i, code in enumerate(c.REPORT_VALUES) if code in codes]
    values, facts = {}, {}
    for base_id in base_ids:
        row = dict(auto.get(base_id, {}))
        report = reports.get(base_id)
        for code, i in report_codes:
            row[code] = report[i] if report is not None else 0
        for code in c.SPOT_CHECK_CRITERIA:
            if code in codes and base_id in checks and codes[code].method == Method.MANUAL:
                row[code] = _spot_check_points(codes[code].weight, *checks[base_id])
        row.update(manual_by_base.get(base_id) or {})
        values[base_id] = row
        visitors = report[list(c.REPORT_VALUES).index("visitors")] if report else 0
        facts[base_id] = (int(visitors or 0), report is None)
    return values, facts


def compute_round(round_: EvaluationRound, *, actor=None, progress=None) -> dict:
    """Score every base of the round and write the results (an upsert per chunk); one
    audit entry. `progress(done, total, message)` reports to the job page."""
    with transaction.atomic():
        round_ = (
            EvaluationRound.objects.select_for_update(of=("self",))
            .select_related("region", "rubric")
            .get(pk=round_.pk)
        )
        if not round_.can_compute():
            raise StateConflict(
                _("The results of this round are published; they no longer change.")
            )
        bases = list(round_bases(round_).values_list("pk", "region_id", "organization_id"))
        ids = [b[0] for b in bases]
        total = len(ids)
        if progress:
            progress(0, total, _("Reading the reports and the registries"))
        existing = dict(
            AnnualEvaluation.objects.filter(round=round_).values_list("base_id", "manual")
        )
        values, facts = _values(round_, ids, existing)
        if progress:
            progress(0, total, _("Scoring"))
        results = engine.evaluate_many(round_.rubric, values, strict=False)
        now = clock.now()
        rows, errors = [], 0
        for base_id, region_id, organization_id in bases:
            result = results[base_id]
            visitors, no_report = facts[base_id]
            row = AnnualEvaluation(
                round=round_,
                rubric_id=round_.rubric_id,
                base_id=base_id,
                year=round_.year,
                region_id=region_id,
                organization_id=organization_id,
                manual=existing.get(base_id) or {},
                values={k: f"{v}" for k, v in values[base_id].items()},
                visitors=visitors,
                no_report=no_report,
                computed_at=now,
                submitted_at=now,
            )
            if isinstance(result, DomainError):
                errors += 1
                row.lines, row.total, row.grade, row.complete = {}, None, "", False
                row.comment = " ".join(result.messages)[:2000]
            else:
                row.lines, row.total, row.grade = result.points(), result.total, result.grade
                row.complete, row.comment = result.complete, ""
            rows.append(row)
        for start in range(0, len(rows), CHUNK):
            AnnualEvaluation.objects.bulk_create(
                rows[start : start + CHUNK],
                update_conflicts=True,
                unique_fields=["round", "base"],
                update_fields=[
                    "rubric",
                    "values",
                    "lines",
                    "total",
                    "grade",
                    "comment",
                    "visitors",
                    "no_report",
                    "complete",
                    "computed_at",
                    "submitted_at",
                ],
            )
            if progress:
                progress(min(start + CHUNK, total), total, _("Writing the results"))
        # Bases no longer listed (revoked, expired) leave the round.
        AnnualEvaluation.objects.filter(round=round_).exclude(base_id__in=ids).delete()
        grades = dict(
            AnnualEvaluation.objects.filter(round=round_)
            .values_list("grade")
            .annotate(n=Count("pk"))
            .order_by()
        )
        round_.grades = {g or "none": n for g, n in grades.items()}
        round_.bases_count = total
        round_.status = c.RoundStatus.COMPUTED
        round_.computed_at = now
        round_.save(update_fields=["grades", "bases_count", "status", "computed_at"])
        summary = {
            "bases": total,
            "no_report": sum(1 for f in facts.values() if f[1]),
            "errors": errors,
            "grades": round_.grades,
        }
        audit.record("bases.evaluationround.computed", obj=round_, actor=actor, detail=summary)
    return summary


@transaction.atomic
def publish_round(round_: EvaluationRound, *, actor) -> EvaluationRound:
    """Publish the results: the grades are public and count for the subsidy."""
    round_ = EvaluationRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    require(actor, round_, "publish")
    if not round_.can_publish():
        raise StateConflict(_("Compute the results before publishing them."))
    if not AnnualEvaluation.objects.filter(round=round_).exclude(complete=True).count() == 0:
        raise DomainError(
            _("Some bases are not fully scored yet: give their manual points and compute again.")
        )
    round_.status = c.RoundStatus.PUBLISHED
    round_.published_at = clock.now()
    round_.save(update_fields=["status", "published_at"])
    audit.record("bases.evaluationround.published", obj=round_, actor=actor)
    publiccache.bump(RESULTS_TAG)
    return round_
