"""Every state change of talent evaluation and of the high-level talent service: atomic,
checked (state predicates → StateConflict, scope and object rules → DomainError) and
audited (`people.<model>.<verb_past>`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.core.uploads import check_upload
from kepu.people import services as people_services
from kepu.people.models import (
    ApplicationItem,
    ApplicationScore,
    EvaluationRound,
    HighLevelTalent,
    Person,
    ServiceRecord,
    TalentApplication,
)
from kepu.people.talents import choices as c
from kepu.people.talents import evidence
from kepu.rubrics import engine
from kepu.rubrics.choices import RubricStatus

ATTACHMENT_TYPES = {"pdf", "jpg", "jpeg", "png"}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ROUND_FIELDS = (
    "name",
    "region",
    "kind",
    "year",
    "title_level",
    "title",
    "honour",
    "opens_on",
    "closes_on",
    "eligibility",
    "min_hours",
    "quota",
    "pass_mark",
    "rubric",
)


def _user(actor):
    return actor if getattr(actor, "pk", None) is not None else None


def _clean_round(rnd: EvaluationRound) -> None:
    if rnd.kind == c.RoundKind.HONOUR:
        rnd.title_level, rnd.title = "", ""
        if not rnd.honour:
            raise DomainError({"honour": [_("Choose the honour the round awards.")]})
    else:
        rnd.honour = ""
        if not rnd.title_level:
            raise DomainError({"title_level": [_("Choose the title level the round awards.")]})
    if rnd.opens_on and rnd.closes_on and rnd.closes_on < rnd.opens_on:
        raise DomainError({"closes_on": [_("The round cannot close before it opens.")]})
    rnd.full_clean()


# -- rounds ------------------------------------------------------------------------------


@transaction.atomic
def create_round(*, actor, **fields) -> EvaluationRound:
    if actor is not None:
        require_region(actor, EvaluationRound, "create", fields["region"])
    rnd = EvaluationRound(created_by=_user(actor), **fields)
    _clean_round(rnd)
    rnd.save()
    audit.created(rnd, actor=actor)
    return rnd


@transaction.atomic
def update_round(rnd: EvaluationRound, *, actor, **fields) -> EvaluationRound:
    rnd = EvaluationRound.objects.select_for_update().get(pk=rnd.pk)
    if not rnd.can_edit():
        raise StateConflict(_("Only a draft round can be changed."))
    before = audit.snapshot(rnd)
    for name, value in fields.items():
        setattr(rnd, name, value)
    if actor is not None and rnd.region_id != before["region"]:
        require_region(actor, EvaluationRound, "change", rnd.region)
    _clean_round(rnd)
    rnd.save()
    audit.record(
        "people.evaluationround.updated",
        obj=rnd,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rnd)),
    )
    return rnd


def _step(rnd, *, actor, allowed, refusal, status, code, **extra):
    rnd = EvaluationRound.objects.select_for_update().get(pk=rnd.pk)
    if not allowed(rnd):
        raise StateConflict(refusal)
    before = audit.snapshot(rnd)
    rnd.status = status
    for name, value in extra.items():
        setattr(rnd, name, value)
    rnd.save(update_fields=["status", *extra])
    audit.record(code, obj=rnd, actor=actor, changes=audit.diff(before, audit.snapshot(rnd)))
    return rnd


@transaction.atomic
def open_round(rnd: EvaluationRound, *, actor) -> EvaluationRound:
    """Open for applications: the rubric must be in use (its scores stay explainable)."""
    rubric = rnd.rubric
    if rubric is None or rubric.status != RubricStatus.IN_USE:
        raise DomainError(_("Choose a scoring rubric in use before opening the round."))
    return _step(
        rnd,
        actor=actor,
        allowed=EvaluationRound.can_open,
        refusal=_("This round is already open."),
        status=c.RoundStatus.OPEN,
        code="people.evaluationround.opened",
    )


@transaction.atomic
def close_round(rnd: EvaluationRound, *, actor) -> EvaluationRound:
    """Close applications and start the review."""
    return _step(
        rnd,
        actor=actor,
        allowed=EvaluationRound.can_close,
        refusal=_("Only an open round can be closed for review."),
        status=c.RoundStatus.REVIEWING,
        code="people.evaluationround.closed",
    )


# -- applications --------------------------------------------------------------------------


def _check_filer(actor, person: Person, rnd: EvaluationRound) -> None:
    """The person themself, or an officer or unit staff whose scope holds the person."""
    if actor is None:
        return
    if person.user_id is not None and person.user_id == actor.pk:
        return
    if not scope.can(actor, person, "view"):
        raise DomainError({"person": [_("You cannot file an application for this person.")]})
    require_region(actor, TalentApplication, "create", person.region)


@transaction.atomic
def create_application(
    rnd: EvaluationRound, *, actor, person: Person, statement: str, organization=None
) -> TalentApplication:
    rnd = EvaluationRound.objects.select_for_update().get(pk=rnd.pk)
    if not rnd.accepts_applications():
        raise StateConflict(_("This round does not take applications now."))
    if person.is_erased:
        raise DomainError({"person": [_("This person's data has been erased.")]})
    if not person.region.is_within(rnd.region):
        raise DomainError({"person": [_("The applicant lives outside the round's region.")]})
    _check_filer(actor, person, rnd)
    # Under the round's lock: a second application of the same person is refused before
    # anything is written (the unique constraint stays the last word).
    if TalentApplication.objects.filter(round=rnd, person=person).exists():
        raise DomainError({"person": [_("This person has already applied in this round.")]})
    application = TalentApplication(
        round=rnd,
        person=person,
        region=person.region,
        organization=organization or person.organization,
        statement=statement,
        submitted_by=_user(actor),
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise DomainError(
            {"person": [_("This person has already applied in this round.")]}
        ) from exc
    EvaluationRound.objects.filter(pk=rnd.pk).update(application_count=F("application_count") + 1)
    audit.created(application, actor=actor)
    return application


def _locked(application) -> TalentApplication:
    return (
        TalentApplication.objects.select_for_update(of=("self",))
        .select_related("round", "person")
        .get(pk=application.pk)
    )


@transaction.atomic
def update_application(application, *, actor, statement: str, organization=None):
    application = _locked(application)
    if not application.can_edit():
        raise StateConflict(_("This application can no longer be changed."))
    before = audit.snapshot(application)
    application.statement = statement
    if organization is not None:
        application.organization = organization
    application.full_clean(validate_constraints=False)
    application.save(update_fields=["statement", "organization"])
    audit.record(
        "people.talentapplication.updated",
        obj=application,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(application)),
    )
    return application


@transaction.atomic
def add_item(application, *, actor, title: str, date=None, description="", attachment=None):
    application = _locked(application)
    if not application.can_edit():
        raise StateConflict(_("This application can no longer be changed."))
    item = ApplicationItem(application=application, title=title, date=date, description=description)
    if attachment:
        check_upload(attachment, extensions=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES)
        item.attachment = attachment
    item.full_clean()
    item.save()
    audit.created(item, actor=actor, object_repr=f"{application} · {item}")
    return item


def preview(application) -> tuple[list[dict], dict]:
    """The record as it would be frozen now (the form shows it before submission)."""
    return evidence.assemble(application.person, self_declared=list(application.items.all()))


@transaction.atomic
def submit_application(application, *, actor) -> TalentApplication:
    """Freeze the record from the registries into the application and send it to the
    unit. Eligibility that the registries can prove (minimum hours) is checked here."""
    application = _locked(application)
    if not application.can_submit():
        raise StateConflict(_("This application cannot be submitted now."))
    items, figures = evidence.assemble(
        application.person, self_declared=list(application.items.all())
    )
    minimum = application.round.min_hours or Decimal(0)
    if Decimal(figures["hours"]) < minimum:
        raise DomainError(
            _("The round asks for at least %(min)s approved service hours; the ledger has %(n)s.")
            % {"min": f"{minimum.normalize():f}", "n": figures["hours"]}
        )
    before = audit.snapshot(application)
    application.evidence, application.figures = items, figures
    application.status = c.ApplicationStatus.SUBMITTED
    application.submitted_at = clock.now()
    application.return_reason = ""
    application.save(
        update_fields=["evidence", "figures", "status", "submitted_at", "return_reason"]
    )
    audit.record(
        "people.talentapplication.submitted",
        obj=application,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(application)),
        detail={"figures": figures, "items": len(items)},
    )
    return application


@transaction.atomic
def recommend_application(application, *, actor) -> TalentApplication:
    """The unit's recommendation (单位推荐): the application goes to the region's review."""
    application = _locked(application)
    if not application.can_recommend():
        raise StateConflict(_("Only a submitted application can be recommended."))
    if actor is not None:
        scope.check(actor, application, "recommend")
    before = audit.snapshot(application)
    application.status = c.ApplicationStatus.RECOMMENDED
    application.recommended_by, application.recommended_at = _user(actor), clock.now()
    application.save(update_fields=["status", "recommended_by", "recommended_at"])
    audit.record(
        "people.talentapplication.recommended",
        obj=application,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(application)),
    )
    return application


@transaction.atomic
def return_application(application, *, actor, reason: str) -> TalentApplication:
    """Back to the applicant with a reason (before the region's scoring)."""
    application = _locked(application)
    if application.status not in (c.ApplicationStatus.SUBMITTED, c.ApplicationStatus.RECOMMENDED):
        raise StateConflict(_("This application cannot be returned now."))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": [_("Say why the application is returned.")]})
    if actor is not None:
        scope.check(actor, application, "recommend")
    before = audit.snapshot(application)
    application.status = c.ApplicationStatus.RETURNED
    application.return_reason = reason[:300]
    application.save(update_fields=["status", "return_reason"])
    audit.record(
        "people.talentapplication.returned",
        obj=application,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(application)),
    )
    return application


@transaction.atomic
def score_application(application, *, actor, values: dict, comment: str = ""):
    """The reviewer's score sheet on the round's rubric: the computed criteria from the
    frozen figures, the manual ones from `values`. A second sheet of the same reviewer
    replaces the first. The application's mean score follows."""
    application = _locked(application)
    if not application.can_score():
        raise StateConflict(_("This application is not awaiting scores."))
    if actor is not None:
        scope.check(actor, application, "score")
    rubric = application.round.rubric
    auto = engine.auto_values(rubric, [application.pk])[application.pk]
    merged = {**{k: v for k, v in values.items() if k not in auto}, **auto}
    result = engine.evaluate(rubric, merged, strict=True)
    sheet, created = ApplicationScore.objects.update_or_create(
        application=application,
        reviewer=actor,
        defaults=dict(
            rubric=rubric,
            values={k: f"{v}" for k, v in merged.items()},
            lines=result.points(),
            total=result.total,
            grade=result.grade,
            comment=comment,
            submitted_at=clock.now(),
        ),
    )
    totals = list(application.scores.values_list("total", flat=True))
    application.score = engine.mean_total(totals)
    application.sheet_count = len(totals)
    application.save(update_fields=["score", "sheet_count"])
    audit.record(
        "people.talentapplication.scored",
        obj=application,
        actor=actor,
        detail={"total": f"{result.total}", "grade": result.grade, "replaced": not created},
    )
    return sheet


def rank_round(rnd: EvaluationRound) -> int:
    """Number the recommended, scored applications of a round by mean score (best first;
    ties by earlier submission). One UPDATE per ranked row, inside the caller's
    transaction."""
    rows = list(
        TalentApplication.objects.filter(
            round=rnd, status=c.ApplicationStatus.RECOMMENDED, score__isnull=False
        )
        .order_by("-score", "submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    TalentApplication.objects.filter(round=rnd).exclude(pk__in=rows).update(rank=None)
    for position, pk in enumerate(rows, start=1):
        TalentApplication.objects.filter(pk=pk).update(rank=position)
    return len(rows)


@transaction.atomic
def publish_round(rnd: EvaluationRound, *, actor) -> EvaluationRound:
    """Rank, decide and publish: the best `quota` applications reaching the pass mark
    (every one reaching it when the quota is 0) are approved, and each approved person
    gets the honour (`HonourAward`) or the title level and title, audited."""
    rnd = EvaluationRound.objects.select_for_update().get(pk=rnd.pk)
    if not rnd.can_publish():
        raise StateConflict(_("Only a round under review can be published."))
    rank_round(rnd)
    ranked = TalentApplication.objects.filter(round=rnd, rank__isnull=False).select_related(
        "person"
    )
    now = clock.now()
    awarded = 0
    for application in ranked.order_by("rank"):
        passes = application.score >= rnd.pass_mark and (not rnd.quota or awarded < rnd.quota)
        application.status = (
            c.ApplicationStatus.AWARDED if passes else c.ApplicationStatus.NOT_AWARDED
        )
        application.decided_at = now
        application.save(update_fields=["status", "decided_at"])
        if passes:
            awarded += 1
            _write_result(rnd, application, actor=actor)
    # Applications never recommended or never scored end without a decision.
    TalentApplication.objects.filter(
        round=rnd,
        status__in=(c.ApplicationStatus.SUBMITTED, c.ApplicationStatus.RECOMMENDED),
        rank__isnull=True,
    ).update(status=c.ApplicationStatus.NOT_AWARDED, decided_at=now)
    rnd = _step(
        rnd,
        actor=actor,
        allowed=EvaluationRound.can_publish,
        refusal=_("Only a round under review can be published."),
        status=c.RoundStatus.PUBLISHED,
        code="people.evaluationround.published",
        published_at=now,
    )
    audit.record(
        "people.evaluationround.results_recorded", obj=rnd, actor=actor, detail={"awarded": awarded}
    )
    return rnd


def _write_result(rnd, application, *, actor) -> None:
    person = application.person
    if rnd.kind == c.RoundKind.HONOUR:
        people_services.add_record(
            "honour",
            person,
            actor=actor,
            honour=rnd.honour,
            title=rnd.name[:120],
            year=rnd.year,
            awarded_by=rnd.region.name[:200],
        )
    else:
        people_services.update_person(
            person, actor=actor, title_level=rnd.title_level, title=(rnd.title or person.title)
        )
    audit.record(
        "people.talentapplication.awarded",
        obj=application,
        actor=actor,
        detail={"rank": application.rank, "score": f"{application.score}"},
    )


# -- high-level talents ----------------------------------------------------------------------


def _check_contact(contact, region) -> None:
    if contact is None:
        return
    if not scope.has_permission(contact, "people.highleveltalent.view") or not (
        scope.allowed_regions(contact, HighLevelTalent, "view").filter(pk=region.pk).exists()
    ):
        raise DomainError(
            {"contact": [_("The contact must be an officer of the talent's region.")]}
        )


@transaction.atomic
def add_talent(*, actor, person: Person, category: str, contact=None, note="", since=None):
    if person.is_erased:
        raise DomainError({"person": [_("This person's data has been erased.")]})
    if actor is not None:
        require_region(actor, HighLevelTalent, "create", person.region)
    _check_contact(contact, person.region)
    if HighLevelTalent.objects.filter(person=person).exists():
        raise DomainError({"person": [_("This person is already on the list.")]})
    talent = HighLevelTalent(
        person=person, region=person.region, category=category, contact=contact, note=note
    )
    if since:
        talent.since = since
    talent.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError as exc:
        raise DomainError({"person": [_("This person is already on the list.")]}) from exc
    audit.created(talent, actor=actor)
    return talent


@transaction.atomic
def update_talent(talent, *, actor, **fields):
    talent = HighLevelTalent.objects.select_for_update().get(pk=talent.pk)
    before = audit.snapshot(talent)
    for name, value in fields.items():
        setattr(talent, name, value)
    if "contact" in fields:
        _check_contact(talent.contact, talent.region)
    talent.full_clean(validate_unique=False)
    talent.save(update_fields=list(fields))
    audit.record(
        "people.highleveltalent.updated",
        obj=talent,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(talent)),
    )
    return talent


@transaction.atomic
def record_service(talent, *, actor, date, kind: str, summary: str) -> ServiceRecord:
    """A contact with the talent; a need raised stays open until resolved. The talent's
    last contact and open needs follow in the same transaction."""
    talent = HighLevelTalent.objects.select_for_update().get(pk=talent.pk)
    if date > clock.today():
        raise DomainError({"date": [_("The date cannot be in the future.")]})
    record = ServiceRecord(
        talent=talent,
        date=date,
        kind=kind,
        summary=summary,
        is_open=kind == c.ServiceKind.NEED,
        recorded_by=_user(actor),
    )
    record.full_clean()
    record.save()
    fields = []
    if talent.last_contact_on is None or date > talent.last_contact_on:
        talent.last_contact_on = date
        fields.append("last_contact_on")
    if record.is_open:
        talent.open_needs = F("open_needs") + 1
        fields.append("open_needs")
    if fields:
        talent.save(update_fields=fields)
    audit.created(record, actor=actor, object_repr=f"{talent} · {record}")
    return record


@transaction.atomic
def resolve_need(record: ServiceRecord, *, actor) -> ServiceRecord:
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("talent")
        .get(pk=record.pk)
    )
    if not record.is_open:
        raise StateConflict(_("This need is already resolved."))
    record.is_open, record.resolved_on = False, clock.today()
    record.save(update_fields=["is_open", "resolved_on"])
    HighLevelTalent.objects.filter(pk=record.talent_id, open_needs__gt=0).update(
        open_needs=F("open_needs") - 1
    )
    audit.record(
        "people.servicerecord.resolved",
        obj=record,
        actor=actor,
        object_repr=f"{record.talent} · {record}",
    )
    return record
