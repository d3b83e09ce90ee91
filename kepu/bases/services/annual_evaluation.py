"""Evaluation rounds (annual, and mid-term of a recognition cycle) on the one rubric
engine: a round holds one result per base of its level in its region; the officers give
the manual points, the computation takes the report criteria from the accepted
self-report (0 and flagged without one), the computed criteria from the registries and
the manual ones from the officers (the safety criterion defaulted from a recorded spot
check), scores every base at once and writes the results in bulk; published, the grades
are public and the subsidy reads them (`kepu.bases.scores`)."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
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
CHUNK = 1000  # rows per statement (× 17 parameters: within SQLite's 32,766)


def round_bases(round_: EvaluationRound):
    """The bases a round evaluates: listed, of its level, in its region (its batch)."""
    rows = Base.objects.listed().filter(
        level=round_.level, region__path__startswith=round_.region.path
    )
    if round_.batch:
        rows = rows.filter(batch=round_.batch)
    return rows


@transaction.atomic
def create_evaluation_round(
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
    # The year's accepted reports (one per base: at most as many rows as bases), kept for
    # the round's bases here rather than joined in SQL: a join or thousands of literal
    # ids cost more than reading them.
    wanted = set(base_ids)
    reports = {
        row[0]: row[1:]
        for row in AnnualReport.objects.filter(
            year=round_.year, status=c.ReportStatus.ACCEPTED
        ).values_list("base_id", *c.REPORT_VALUES.values())
        if row[0] in wanted
    }
    checks = {}
    for base_id, passed, adjustment in (
        SpotCheck.objects.filter(
            year=round_.year, kind=c.SpotCheckKind.ANNUAL, status=c.SpotCheckStatus.RECORDED
        )
        .order_by("recorded_at", "pk")
        .values_list("base_id", "passed", "adjustment")
    ):
        if base_id in wanted:
            checks[base_id] = (passed, adjustment)  # the latest wins
    auto = engine.auto_values(rubric, base_ids, {"year": round_.year})
    report_codes = [(code, i) for i, code in enumerate(c.REPORT_VALUES) if code in codes]
    spot_codes = [
        (code, codes[code].weight)
        for code in c.SPOT_CHECK_CRITERIA
        if code in codes and codes[code].method == Method.MANUAL
    ]
    at_visitors = list(c.REPORT_VALUES).index("visitors")
    values, facts = {}, {}
    for base_id in base_ids:
        row = auto.get(base_id, {})
        report = reports.get(base_id)
        for code, i in report_codes:
            row[code] = report[i] if report is not None else 0
        if base_id in checks:
            for code, weight in spot_codes:
                row[code] = _spot_check_points(weight, *checks[base_id])
        manual = manual_by_base.get(base_id)
        if manual:
            row.update(manual)
        values[base_id] = row
        facts[base_id] = (int(report[at_visitors] or 0) if report else 0, report is None)
    return values, facts


# Written by the computation; on a rerun every one of them but the key is replaced.
UPSERT_FIELDS = (
    "round_id", "rubric_id", "base_id", "year", "region_id", "organization_id", "manual",
    "values", "lines", "total", "grade", "comment", "visitors", "no_report", "complete",
    "computed_at", "submitted_at",
)  # fmt: skip


def rows_for_json(rows: list[dict]) -> list[list]:
    """The rows' values in UPSERT_FIELDS order, JSON fields as they are (PostgreSQL)."""
    return [[row[name] for name in UPSERT_FIELDS] for row in rows]


def _upsert(rows: list[dict]) -> None:
    """Insert or replace the results of `rows` in one statement keyed by round and base.
    The ORM's bulk upsert spends its time building thousands of model instances and
    compiling their values; here each value is adapted once. On PostgreSQL the rows go
    as one array per column (`unnest`): a statement with thousands of placeholders costs
    more to bind than to run."""
    meta = AnnualEvaluation._meta
    fields = [meta.get_field(name.removesuffix("_id")) for name in UPSERT_FIELDS]
    columns = [f.column for f in fields]
    quote = connection.ops.quote_name
    updates = ", ".join(
        f"{quote(col)} = excluded.{quote(col)}"
        for col in columns
        if col not in ("round_id", "base_id")
    )
    into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
    conflict = f" ON CONFLICT ({quote('round_id')}, {quote('base_id')}) DO UPDATE SET {updates}"
    ops = connection.ops
    adapt = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "JSONField":
            adapt.append(
                json.dumps
                if connection.vendor == "postgresql"
                else (lambda v: ops.adapt_json_value(v, None))
            )
        elif kind == "DateTimeField" and connection.vendor != "postgresql":
            adapt.append(ops.adapt_datetimefield_value)
        elif kind == "DecimalField" and connection.vendor != "postgresql":
            adapt.append(
                lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        else:  # ids, numbers, flags and text: as they are
            adapt.append(None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One JSON document for all rows, read back as a record set: one parameter
            # to quote (the driver binds on the client, and quoting thousands of array
            # elements one by one cost more than the statement).
            types = [
                "jsonb" if f.get_internal_type() == "JSONField" else f.db_type(connection)
                for f in fields
            ]
            record = ", ".join(f"{quote(col)} {t}" for col, t in zip(columns, types, strict=True))
            select = ", ".join(quote(col) for col in columns)
            document = json.dumps(
                [dict(zip(columns, row, strict=True)) for row in rows_for_json(rows)],
                cls=DjangoJSONEncoder,
            )
            sql = (
                f"{into}SELECT {select} FROM jsonb_to_recordset(%s::jsonb) AS x({record})"  # noqa: S608
                f"{conflict}"
            )
            cursor.execute(sql, [document])
        else:
            cells = [
                [value if convert is None or value is None else convert(value) for convert, value in
                 zip(adapt, (row[name] for name in UPSERT_FIELDS), strict=True)]
                for row in rows
            ]  # fmt: skip
            one = f"({', '.join(['%s'] * len(columns))})"
            sql = f"{into}VALUES {', '.join([one] * len(rows))}{conflict}"  # noqa: S608
            cursor.execute(sql, [value for row in cells for value in row])


def compute_evaluation_round(round_: EvaluationRound, *, actor=None, progress=None) -> dict:
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
            if isinstance(result, DomainError):
                errors += 1
                lines, total_, grade, complete = {}, None, "", False
                comment = " ".join(result.messages)[:2000]
            else:
                lines, total_, grade = result.points(), result.total, result.grade
                complete, comment = result.complete, ""
            rows.append(
                {
                    "round_id": round_.pk,
                    "rubric_id": round_.rubric_id,
                    "base_id": base_id,
                    "year": round_.year,
                    "region_id": region_id,
                    "organization_id": organization_id,
                    "manual": existing.get(base_id) or {},
                    "values": {k: f"{v}" for k, v in values[base_id].items()},
                    "lines": lines,
                    "total": total_,
                    "grade": grade,
                    "comment": comment,
                    "visitors": visitors,
                    "no_report": no_report,
                    "complete": complete,
                    "computed_at": now,
                    "submitted_at": now,
                }
            )
        for start in range(0, len(rows), CHUNK):
            _upsert(rows[start : start + CHUNK])
            if progress:
                progress(min(start + CHUNK, total), total, _("Writing the results"))
        # Bases no longer listed (revoked, expired) leave the round.
        AnnualEvaluation.objects.filter(round=round_).exclude(
            base_id__in=round_bases(round_).values("pk")
        ).delete()
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
def publish_evaluation_round(round_: EvaluationRound, *, actor) -> EvaluationRound:
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
