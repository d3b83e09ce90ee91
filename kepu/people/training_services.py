"""Every state change of training as a process: courses, training bases, sessions,
enrolment with a waiting list, attendance, completion (结业) and certificates.

Enrolment uses the sign-up machinery shared with the activities (kepu.core.places: a place
while one is free, else the waiting list; first-come promotion; the session's counters kept
with F()). What is training's own: an enrolment is a registered person's, and a double
submission is recognized by the one-enrolment-per-person constraint."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, rollups, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.places import Places
from kepu.core.scope import require_region
from kepu.people import choices as c
from kepu.people.models import (
    Course,
    CreditEntry,
    Enrolment,
    Person,
    Training,
    TrainingBase,
    TrainingSession,
)
from kepu.people.rollups import TRAINING_COMPLETIONS

S = c.EnrolmentStatus

# --- courses and bases ----------------------------------------------------------------


@transaction.atomic
def create_course(*, actor, **fields) -> Course:
    course = Course(created_by=actor, created_at=clock.now(), **fields)
    course.full_clean()
    require_region(actor, Course, "create", course.region)
    course.save()
    audit.created(course, actor=actor)
    return course


@transaction.atomic
def update_course(course: Course, *, actor, **fields) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = audit.snapshot(course)
    for name, value in fields.items():
        if name not in Course.EDITABLE_FIELDS:
            raise DomainError(_("This field cannot be changed."))
        setattr(course, name, value)
    course.full_clean()
    require_region(actor, Course, "change", course.region)
    course.save(update_fields=list(fields))
    audit.record(
        "people.course.updated",
        obj=course,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(course)),
    )
    return course


@transaction.atomic
def create_base(*, actor, **fields) -> TrainingBase:
    base = TrainingBase(created_by=actor, **fields)
    base.full_clean()
    require_region(actor, TrainingBase, "create", base.region)
    base.save()
    audit.created(base, actor=actor)
    return base


@transaction.atomic
def recognize_base(base: TrainingBase, *, actor) -> TrainingBase:
    """The region's recognition (认定) of a proposed base; never by the officer who
    proposed it (four-eyes: the object rule in kepu.people.rules)."""
    base = TrainingBase.objects.select_for_update().get(pk=base.pk)
    if not base.can_recognize():
        raise StateConflict(_("This training base has been recognized or withdrawn already."))
    scope.check(actor, base, "recognize")
    was = base.status
    base.status = c.BaseStatus.RECOGNIZED
    base.recognized_by = actor
    base.recognized_on = clock.today()
    base.save(update_fields=["status", "recognized_by", "recognized_on"])
    audit.record(
        "people.trainingbase.recognized",
        obj=base,
        actor=actor,
        changes={"status": [was, base.status]},
    )
    return base


# --- sessions -------------------------------------------------------------------------


def _check_session(session: TrainingSession) -> None:
    errors = {}
    if session.starts_on and session.ends_on and session.ends_on < session.starts_on:
        errors["ends_on"] = [_("The session cannot end before it starts.")]
    if session.enrol_from and session.enrol_until and session.enrol_until < session.enrol_from:
        errors["enrol_until"] = [_("Enrolment cannot close before it opens.")]
    if session.enrol_until and session.ends_on and session.enrol_until > session.ends_on:
        errors["enrol_until"] = [_("Enrolment must close by the last day of the session.")]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def create_session(course: Course, *, actor, **fields) -> TrainingSession:
    """A session of `course`, in the course's organizing region, as a draft."""
    session = TrainingSession(course=course, region_id=course.region_id, created_by=actor, **fields)
    _check_session(session)
    session.full_clean()
    require_region(actor, TrainingSession, "create", course.region)
    session.save()
    audit.created(session, actor=actor)
    return session


STEP_CODES = {"open": "opened", "close": "closed", "finish": "finished"}


@transaction.atomic
def step_session(session: TrainingSession, step: str, *, actor) -> TrainingSession:
    """Open enrolment, close it, or mark the session finished."""
    if step not in c.SESSION_STEPS:
        raise DomainError(_("Unknown step."))
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not session.can_step(step):
        raise StateConflict(_("The session's status does not allow this step."))
    was = session.status
    session.status = c.SESSION_STEPS[step][1]
    session.save(update_fields=["status"])
    audit.record(
        f"people.trainingsession.{STEP_CODES[step]}",
        obj=session,
        actor=actor,
        changes={"status": [was, session.status]},
    )
    return session


# --- enrolment --------------------------------------------------------------------------


# The shared places-and-waiting-list machinery (kepu.core.places), as training uses it: a
# completed trainee keeps the place they held.
ENROLMENTS = Places(
    parent=TrainingSession,
    rows=Enrolment,
    parent_field="session",
    placed=S.ENROLLED,
    waiting=S.WAITING,
    counters={
        S.ENROLLED: "enrolled_count",
        S.WAITING: "waiting_count",
        S.COMPLETED: "completed_count",
    },
    holding=(S.ENROLLED, S.COMPLETED),
    order=("enrolled_at", "pk"),
)


def enrol(session: TrainingSession, person: Person, *, actor, self_enrolled=False):
    """(enrolment, created). A place when one is free, else the waiting list. Enrolling
    a person again (a double submission, a retry) returns the live enrolment; after a
    withdrawal the same row is taken up again."""
    if person.is_erased:
        raise StateConflict(_("This person's data has been erased."))
    existing = Enrolment.objects.filter(session_id=session.pk, person_id=person.pk).first()
    if existing is not None and existing.is_live:
        return existing, False
    try:
        with transaction.atomic():
            locked = (
                TrainingSession.objects.select_for_update(of=("self",))
                .select_related("course", "region")
                .get(pk=session.pk)
            )
            if not locked.takes_enrolments(clock.today()):
                raise StateConflict(_("This session is not taking enrolments."))
            status = ENROLMENTS.status_for_newcomer(locked)
            row = (
                Enrolment.objects.select_for_update()
                .filter(session_id=locked.pk, person_id=person.pk)
                .first()
            )
            if row is not None and row.is_live:  # enrolled meanwhile
                return row, False
            if row is None:
                row = Enrolment(
                    session=locked,
                    person=person,
                    region_id=locked.region_id,
                    organization_id=locked.course.organization_id,
                    audience=locked.course.audience,
                )
            row.status = status
            row.self_enrolled = self_enrolled
            row.enrolled_at = clock.now()
            row.attended = False
            row.save()
            ENROLMENTS.move(locked, None, status)
            audit.record(
                "people.enrolment.enrolled",
                obj=row,
                actor=actor,
                region_code=locked.region.code,
                detail={"status": status, "self": self_enrolled},
            )
            return row, True
    except IntegrityError:
        # Lost a race with the same person's other submission.
        row = Enrolment.objects.filter(session_id=session.pk, person_id=person.pk).first()
        if row is None:
            raise
        return row, False


def _promote(session: TrainingSession, *, actor) -> list[Enrolment]:
    """Fill free places from the waiting list (the caller holds the session's lock)."""

    def promoted(waiting: Enrolment) -> None:
        waiting.save(update_fields=["status"])
        audit.record("people.enrolment.promoted", obj=waiting, actor=actor)

    return ENROLMENTS.promote(session, promoted=promoted)


@transaction.atomic
def withdraw(enrolment: Enrolment, *, actor) -> Enrolment:
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.can_withdraw():
        raise StateConflict(_("This enrolment cannot be withdrawn."))
    was = enrolment.status
    enrolment.status = S.WITHDRAWN
    enrolment.attended = False
    enrolment.save(update_fields=["status", "attended"])
    ENROLMENTS.move(session, was, None)
    audit.record(
        "people.enrolment.cancelled",
        obj=enrolment,
        actor=actor,
        changes={"status": [was, S.WITHDRAWN]},
    )
    if was == S.ENROLLED:
        session.refresh_from_db(fields=["enrolled_count", "completed_count", "waiting_count"])
        _promote(session, actor=actor)
    return enrolment


@transaction.atomic
def set_attendance(enrolment: Enrolment, *, actor, attended: bool) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != S.ENROLLED:
        raise StateConflict(_("Only enrolled people's attendance can be marked."))
    if enrolment.attended != attended:
        enrolment.attended = attended
        enrolment.save(update_fields=["attended"])
        audit.record(
            "people.enrolment.attended",
            obj=enrolment,
            actor=actor,
            changes={"attended": [not attended, attended]},
        )
    return enrolment


# --- completion and certificates ----------------------------------------------------------

CERT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def certificate_number(enrolment: Enrolment, year: int) -> str:
    """PX + year + the enrolment's number + two random characters (not guessable in a
    run): unique through the enrolment's primary key."""
    tail = "".join(secrets.choice(CERT_ALPHABET) for _i in range(2))
    return f"PX{year}{enrolment.pk:08d}{tail}"


def _complete_locked(enrolment: Enrolment, session: TrainingSession, *, actor, on) -> Enrolment:
    if enrolment.status != S.ENROLLED:
        raise StateConflict(_("Only enrolled people can complete the training."))
    if not enrolment.attended:
        raise DomainError(_("Mark the person's attendance before completing the training."))
    if session.status == c.SessionStatus.DRAFT:
        raise StateConflict(_("A draft session cannot be completed."))
    course = session.course
    organizer = course.organization.name if course.organization_id else session.region.name
    # The person's training history and credits: written here, linked from the
    # enrolment (one source of truth; hand-typed records stay beside them).
    training = Training.objects.create(
        person_id=enrolment.person_id,
        course=f"{course.title}（{session.name}）"[:200],
        hours=course.hours,
        organizer=organizer[:200],
        date=on,
    )
    credit_entry = None
    if course.credit:
        credit_entry = CreditEntry.objects.create(
            person_id=enrolment.person_id,
            credits=course.credit,
            reason=course.title[:200],
            granted_by=organizer[:200],
            granted_on=on,
        )
    enrolment.status = S.COMPLETED
    enrolment.completed_on = on
    enrolment.hours = course.hours
    enrolment.credit = course.credit
    enrolment.certificate_number = certificate_number(enrolment, on.year)
    enrolment.training = training
    enrolment.credit_entry = credit_entry
    enrolment.save(
        update_fields=[
            "status",
            "completed_on",
            "hours",
            "credit",
            "certificate_number",
            "training",
            "credit_entry",
        ]
    )
    ENROLMENTS.move(session, S.ENROLLED, S.COMPLETED)
    rollups.add(TRAINING_COMPLETIONS, enrolment.region_id, on, enrolment.audience)
    audit.record(
        "people.enrolment.completed",
        obj=enrolment,
        actor=actor,
        changes={"status": [S.ENROLLED, S.COMPLETED]},
        detail={"certificate": enrolment.certificate_number, "hours": str(course.hours)},
    )
    return enrolment


@transaction.atomic
def complete(enrolment: Enrolment, *, actor, on=None) -> Enrolment:
    """Completion (结业) with the course's hours and credit and a certificate number."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course", "course__organization", "region")
        .get(pk=enrolment.session_id)
    )
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    return _complete_locked(enrolment, session, actor=actor, on=on or clock.today())


@transaction.atomic
def complete_attended(session: TrainingSession, *, actor, on=None) -> int:
    """Bulk completion: every enrolled person of the session whose attendance is marked.
    Returns how many completed."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course", "course__organization", "region")
        .get(pk=session.pk)
    )
    if session.status == c.SessionStatus.DRAFT:
        raise StateConflict(_("A draft session cannot be completed."))
    on = on or clock.today()
    rows = Enrolment.objects.select_for_update().filter(
        session=session, status=S.ENROLLED, attended=True
    )
    done = 0
    for enrolment in rows.order_by("pk"):
        _complete_locked(enrolment, session, actor=actor, on=on)
        done += 1
    return done
