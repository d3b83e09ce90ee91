"""The assessment (考核) of regions and member units: a round on a rubric in use for
assessment (its subjects join at creation), the live values pulled from the registries
(`refresh_round`, also a job and a nightly schedule: the round's pages only read what it
stored), the subject's self-assessment with evidence, the score of the manual criteria
by an officer of the assessing region, its confirmation by a second officer, and
publishing (every entry confirmed; totals, grades and ranks frozen in `results`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, Region
from kepu.core.uploads import check_upload
from kepu.plans import assessment_choices as c
from kepu.plans.models import AssessmentEntry, AssessmentEvidence, AssessmentRound, TaskUnit
from kepu.rubrics import engine
from kepu.rubrics.choices import TOTAL, Method, Purpose, RubricStatus

PUBLIC_TAG = "plans.assessments"
SUBJECTS = {c.SubjectKind.REGIONS: c.REGION_SUBJECT, c.SubjectKind.UNITS: c.UNIT_SUBJECT}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def manual_criteria(rubric) -> list:
    return [cr for cr in rubric.criteria.all() if cr.method == Method.MANUAL]


def _check_rubric(rubric, kind, actor) -> None:
    from kepu.rubrics.models import Rubric

    refused = DomainError({"rubric": [_("Choose a rubric in use for assessment.")]})
    rows = Rubric.objects.filter(pk=rubric.pk, status=RubricStatus.IN_USE)
    if actor is not None:
        rows = scope.visible_to(actor, rows)
    if not rows.filter(purpose=Purpose.ASSESSMENT).exists():
        raise refused
    subject = SUBJECTS[kind]
    for criterion in rubric.criteria.all():
        source = engine.get_source(criterion.source) if criterion.method == Method.AUTO else None
        if source is not None and source.subject != subject:
            raise DomainError(
                {
                    "rubric": [
                        _("%(name)s is computed for another kind of subject.")
                        % {"name": criterion.name}
                    ]
                }
            )


def _subjects(kind, region, plan):
    if kind == c.SubjectKind.REGIONS:
        children = Region.objects.filter(parent=region).order_by("code")
        return [AssessmentEntry(subject_region=r, region=r, name=r.name) for r in children]
    unit_ids = TaskUnit.objects.filter(task__plan=plan).values("organization_id")
    units = Organization.objects.filter(pk__in=unit_ids).select_related("region")
    return [
        AssessmentEntry(organization=o, region=o.region, name=o.name)
        for o in units.order_by("region__code", "name", "pk")
    ]


@transaction.atomic
def create_round(
    *, actor, name, region, kind, year, rubric, plan=None, is_public=False, remarks=""
) -> AssessmentRound:
    """A round of `region` over its sub-regions (kind regions) or over the units named on
    `plan`'s tasks (kind units, a plan the actor reads), each joining as an entry; the
    live values are pulled at once."""
    if actor is not None:
        scope.require_region(actor, AssessmentRound, "create", region)
    _check_rubric(rubric, kind, actor)
    if kind == c.SubjectKind.UNITS:
        from kepu.plans.models import Plan

        plans = Plan.objects.all() if actor is None else scope.visible_to(actor, Plan)
        if plan is None or not plans.filter(pk=plan.pk).exists():
            raise DomainError({"plan": [_("Choose the plan whose member units are assessed.")]})
    else:
        plan = None
    round_ = AssessmentRound(
        name=name.strip(),
        region=region,
        kind=kind,
        plan=plan,
        year=year,
        rubric=rubric,
        is_public=is_public,
        remarks=remarks,
        created_by=_user(actor),
    )
    round_.full_clean()
    entries = _subjects(kind, region, plan)
    if not entries:
        if kind == c.SubjectKind.REGIONS:
            raise DomainError({"region": [_("This region has no sub-regions to assess.")]})
        raise DomainError({"plan": [_("No unit is named on this plan's tasks.")]})
    round_.save()
    for entry in entries:
        entry.round = round_
        entry.rubric = rubric
    AssessmentEntry.objects.bulk_create(entries)
    audit.created(round_, actor=actor, detail={"subjects": len(entries)})
    refresh_round(round_, actor=None)
    return round_


def _merged(entry, live, manual_codes) -> dict:
    """The sheet's values: the live values (None counts as 0: it earns no points) and
    the points given to the manual criteria."""
    values = {code: (0 if value is None else value) for code, value in live.items()}
    values.update({k: v for k, v in entry.values.items() if k in manual_codes})
    return values


def missing_weight(rubric, live) -> Decimal:
    """The weight of the computed criteria that have no data for a subject (no report
    due, no population, no published estimate)."""
    return sum(
        (cr.weight for cr in rubric.criteria.all() if cr.code in live and live[cr.code] is None),
        Decimal(0),
    )


def scaled_total(rubric, live, total: Decimal) -> tuple[Decimal, str]:
    """The total and grade with the computed criteria that have no data left out: the
    points earned are scaled to the weights that could be scored (缺项指标按比例折算),
    so a region is not failed for a figure the registries do not hold."""
    missing = missing_weight(rubric, live)
    if missing and missing < TOTAL:
        total = (total * TOTAL / (TOTAL - missing)).quantize(engine.CENT, ROUND_HALF_UP)
    return total, engine.grade_of(rubric, total)


def _rank(entries) -> None:
    """Competition ranking by total (1, 2, 2, 4…); entries without a total get none."""
    ordered = sorted((e for e in entries if e.total is not None), key=lambda e: -e.total)
    previous, rank = None, 0
    for position, entry in enumerate(ordered, start=1):
        if entry.total != previous:
            rank, previous = position, entry.total
        entry.rank = rank
    for entry in entries:
        if entry.total is None:
            entry.rank = None


def _recompute(round_, entries, *, pull: bool) -> None:
    rubric = round_.rubric
    manual = {cr.code for cr in manual_criteria(rubric)}
    open_entries = [e for e in entries if e.status != c.EntryStatus.CONFIRMED]
    if pull and open_entries:
        keys = [e.subject_region_id or e.organization_id for e in open_entries]
        context = {"year": round_.year, "plan": round_.plan_id}
        auto = {k: {} for k in keys}
        for criterion in rubric.criteria.all():
            if criterion.method != Method.AUTO:
                continue
            source = engine.get_source(criterion.source)
            if source is None:
                raise DomainError(
                    _("The registry source %(code)s is not installed.") % {"code": criterion.source}
                )
            computed = source.compute(keys, context)
            for k in keys:
                value = computed.get(k)
                auto[k][criterion.code] = None if value is None else f"{value}"
        for entry in open_entries:
            entry.live = auto[entry.subject_region_id or entry.organization_id]
    merged = {e.pk: _merged(e, e.live, manual) for e in open_entries}
    results = engine.evaluate_many(rubric, merged, strict=False)
    for entry in open_entries:
        result = results[entry.pk]
        if isinstance(result, DomainError):
            continue
        entry.values = merged[entry.pk]
        entry.lines = result.points()
        entry.total, entry.grade = scaled_total(rubric, entry.live, result.total)
    _rank(entries)


@transaction.atomic
def refresh_round(round_: AssessmentRound, *, actor, progress=None) -> dict:
    """Pull the live values of every entry not yet confirmed (each source once for all
    subjects), recompute the totals and the ranking. A confirmed score keeps the values
    it was confirmed on."""
    round_ = (
        AssessmentRound.objects.select_for_update(of=("self",))
        .select_related("rubric")
        .get(pk=round_.pk)
    )
    if not round_.is_open():
        raise StateConflict(_("The result of this round is published: it no longer changes."))
    entries = list(round_.entries.all())
    _recompute(round_, entries, pull=True)
    AssessmentEntry.objects.bulk_update(
        entries, ["live", "values", "lines", "total", "grade", "rank"]
    )
    round_.computed_at = clock.now()
    round_.save(update_fields=["computed_at"])
    audit.record(
        "plans.assessmentround.recomputed",
        obj=round_,
        actor=actor,
        region_code=round_.region.code,
        detail={"subjects": len(entries)},
    )
    if progress is not None:
        progress(len(entries), len(entries), "")
    return {"subjects": len(entries)}


def _locked_entry(entry) -> AssessmentEntry:
    return (
        AssessmentEntry.objects.select_for_update(of=("self",))
        .select_related("round", "round__rubric")
        .get(pk=entry.pk)
    )


def _points(rubric, points: dict, *, field: str, required: bool) -> dict:
    """{code: points as text} of the manual criteria, each 0 to its weight."""
    out, errors = {}, {}
    for criterion in manual_criteria(rubric):
        raw = points.get(criterion.code)
        if raw in (None, ""):
            if required:
                errors[f"{field}_{criterion.code}"] = [_("Give the points.")]
            continue
        value = Decimal(str(raw))
        if not (0 <= value <= criterion.weight):
            errors[f"{field}_{criterion.code}"] = [
                _("The points must be 0 to %(weight)s.")
                % {"weight": f"{criterion.weight.normalize():f}"}
            ]
            continue
        out[criterion.code] = f"{value}"
    if errors:
        raise DomainError(errors)
    return out


@transaction.atomic
def self_assess(entry: AssessmentEntry, *, actor, text: str, points=None, attachments=()):
    """The assessed region or unit files (or files again, until scored) its
    self-assessment: what it did, the points it claims on the manual criteria, and
    evidence files (checked by content)."""
    entry = _locked_entry(entry)
    if not entry.can_self_assess():
        raise StateConflict(_("This entry has been scored: the self-assessment is closed."))
    if actor is not None:
        scope.check(actor, entry, "self_assess")
    if not text.strip():
        raise DomainError({"self_text": [_("Describe the work done in the year.")]})
    claimed = _points(entry.round.rubric, points or {}, field="claim", required=False)
    if len(attachments) + entry.evidence.count() > c.MAX_EVIDENCE:
        raise DomainError(
            {"attachments": [_("At most %(n)d evidence files.") % {"n": c.MAX_EVIDENCE}]}
        )
    types = [
        check_upload(f, extensions=c.EVIDENCE_TYPES, max_bytes=c.MAX_EVIDENCE_BYTES)
        for f in attachments
    ]
    before = audit.snapshot(entry)
    now = clock.now()
    entry.self_text = text.strip()
    entry.self_points = claimed
    entry.self_submitted_at = now
    entry.self_submitted_by = _user(actor)
    entry.status = c.EntryStatus.SELF_ASSESSED
    entry.save(
        update_fields=[
            "self_text",
            "self_points",
            "self_submitted_at",
            "self_submitted_by",
            "status",
        ]
    )
    for upload, content_type in zip(attachments, types, strict=True):
        evidence = AssessmentEvidence(
            entry=entry,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_at=now,
            uploaded_by=_user(actor),
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    audit.record(
        "plans.assessmententry.self_assessed",
        obj=entry,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(entry)),
        region_code=entry.region.code,
        detail={"evidence": len(attachments)},
    )
    return entry


def _rerank(round_) -> None:
    entries = list(round_.entries.only("pk", "total", "rank"))
    before = {e.pk: e.rank for e in entries}
    _rank(entries)
    changed = [e for e in entries if e.rank != before[e.pk]]
    AssessmentEntry.objects.bulk_update(changed, ["rank"])


@transaction.atomic
def score_entry(entry: AssessmentEntry, *, actor, points: dict, comment: str = ""):
    """An officer of the assessing region gives the points of every manual criterion
    (never the officer who filed the self-assessment); the total joins the live values."""
    entry = _locked_entry(entry)
    if not entry.can_score():
        raise StateConflict(_("This entry can no longer be scored."))
    if actor is not None:
        scope.check(actor, entry, "score")
    rubric = entry.round.rubric
    given = _points(rubric, points, field="points", required=True)
    before = audit.snapshot(entry)
    values = _merged(entry, entry.live, set())
    values.update(given)
    result = engine.evaluate(rubric, values, strict=True)
    entry.values = values
    entry.lines = result.points()
    entry.total, entry.grade = scaled_total(rubric, entry.live, result.total)
    entry.comment = comment.strip()
    entry.scored_by = _user(actor)
    entry.submitted_at = clock.now()
    entry.status = c.EntryStatus.SCORED
    entry.save(
        update_fields=[
            "values", "lines", "total", "grade", "comment", "scored_by", "submitted_at", "status"
        ]
    )  # fmt: skip
    _rerank(entry.round)
    audit.record(
        "plans.assessmententry.scored",
        obj=entry,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(entry)),
        region_code=entry.round.region.code,
    )
    return entry


@transaction.atomic
def confirm_entry(entry: AssessmentEntry, *, actor):
    """A second officer of the assessing region confirms the score (four-eyes); the
    confirmed score no longer follows the live values."""
    entry = _locked_entry(entry)
    if not entry.can_confirm():
        raise StateConflict(_("Only a scored entry can be confirmed."))
    if actor is not None:
        scope.check(actor, entry, "confirm")
    entry.status = c.EntryStatus.CONFIRMED
    entry.confirmed_by = _user(actor)
    entry.confirmed_at = clock.now()
    entry.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit.record(
        "plans.assessmententry.confirmed",
        obj=entry,
        actor=actor,
        region_code=entry.round.region.code,
        detail={"total": f"{entry.total}", "grade": entry.grade},
    )
    return entry


@transaction.atomic
def publish_round(round_: AssessmentRound, *, actor) -> AssessmentRound:
    """Publish the result: every entry confirmed; the totals, grades and ranks are frozen
    in the round (the assessed see it; the portal too when the round is public)."""
    round_ = (
        AssessmentRound.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=round_.pk)
    )
    if not round_.can_publish():
        raise StateConflict(_("The result of this round is already published."))
    if actor is not None:
        scope.check(actor, round_, "publish")
    waiting = round_.entries.exclude(status=c.EntryStatus.CONFIRMED).count()
    if waiting:
        raise DomainError(
            _("%(n)d regions or units are not confirmed yet: confirm every score first.")
            % {"n": waiting}
        )
    entries = list(round_.entries.order_by("pk"))
    _rank(entries)
    AssessmentEntry.objects.bulk_update(entries, ["rank"])
    before = audit.snapshot(round_)
    round_.results = [
        {
            "name": e.name,
            "region": e.region.code if e.subject_region_id else "",
            "total": f"{e.total}",
            "grade": e.grade,
            "rank": e.rank,
        }
        for e in sorted(entries, key=lambda e: (e.rank or 10**6, e.pk))
    ]
    round_.status = c.RoundStatus.PUBLISHED
    round_.published_at = clock.now()
    round_.published_by = _user(actor)
    round_.save(update_fields=["results", "status", "published_at", "published_by"])
    audit.record(
        "plans.assessmentround.published",
        obj=round_,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(round_)),
        region_code=round_.region.code,
        detail={"subjects": len(entries), "public": round_.is_public},
    )
    if round_.is_public:
        publiccache.bump(PUBLIC_TAG)
    return round_


# Sources whose value needs the region's population (the round's page names the regions
# without one).
PER_CAPITA_SOURCES = ("people.region_volunteers_per_10k", "stats.region_funding_per_capita")
