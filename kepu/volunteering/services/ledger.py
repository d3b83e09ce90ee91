"""Service delivery (check-in and check-out on a phone), the hour ledger and service
record certificates."""

from __future__ import annotations

import datetime
import decimal
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import audit, clock, periods, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.people.models import Person, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering import rollups as counters
from kepu.volunteering.models import (
    Assignment,
    Certificate,
    HourEntry,
)
from kepu.volunteering.services.orders import (
    NUMBER_ALPHABET,
    A,
    S,
    _check,
    _locked,
    _require_reason,
    _step,
)

MAX_ENTRY_HOURS = 24
MIN_ENTRY = datetime.timedelta(minutes=1)  # shorter periods are taps by mistake

# --- service delivery: check-in and check-out on a phone -------------------------------


def _hours(start: datetime.datetime, end: datetime.datetime) -> decimal.Decimal:
    seconds = decimal.Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def _lock_person(person: Person) -> None:
    Person.objects.select_for_update().filter(pk=person.pk).first()


def _refuse_overlap(person, start, end, *, exclude=None) -> None:
    clash = HourEntry.objects.overlapping(person, start, end)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    clash = clash.first()
    if clash is not None:
        local = timezone.localtime
        raise DomainError(
            _("This period overlaps another entry of the volunteer (%(start)s – %(end)s).")
            % {
                "start": f"{local(clash.started_at):%Y-%m-%d %H:%M}",
                "end": f"{local(clash.ended_at):%H:%M}",
            }
        )


@transaction.atomic
def check_in(assignment: Assignment, *, actor, at=None) -> Assignment:
    """The volunteer arrives (idempotent: a second tap keeps the first time)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.checked_in_at:
        return assignment
    order = _locked(assignment.order)
    _check(order, A.CHECK_IN)
    at = at or clock.now()
    before = order.status
    assignment.checked_in_at = at
    assignment.save(update_fields=["checked_in_at"])
    order.status = S.IN_SERVICE
    order.save(update_fields=["status", "updated_at"])
    _step(order, A.CHECK_IN, actor=actor, before=before, note=assignment.person.name)
    return assignment


@transaction.atomic
def check_out(assignment: Assignment, *, actor, at=None) -> Assignment:
    """The volunteer leaves: the period becomes a pending entry in the hour ledger (the
    team confirms it when it completes the order)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.checked_out_at:
        return assignment
    if not assignment.checked_in_at:
        raise StateConflict(_("Check in first."))
    order = _locked(assignment.order)
    _check(order, A.CHECK_OUT)
    at = at or clock.now()
    if at <= assignment.checked_in_at:
        raise DomainError(_("The check-out time must be after the check-in time."))
    if at - assignment.checked_in_at < MIN_ENTRY:
        raise DomainError(
            _("Checked in less than a minute ago: check out when the service is over.")
        )
    if at - assignment.checked_in_at > datetime.timedelta(hours=MAX_ENTRY_HOURS):
        raise DomainError(_("One entry cannot be longer than 24 hours."))
    _lock_person(assignment.person)
    _refuse_overlap(assignment.person, assignment.checked_in_at, at)
    entry = HourEntry.objects.create(
        person=assignment.person,
        team=order.team,
        order=order,
        region=order.region,
        started_at=assignment.checked_in_at,
        ended_at=at,
        hours=_hours(assignment.checked_in_at, at),
        source=c.HourSource.CHECK_IN,
        description=order.get_category_display(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    counters.apply_difference(counters.Counter(), counters.entry_facts(entry))
    assignment.checked_out_at = at
    assignment.hour_entry = entry
    assignment.save(update_fields=["checked_out_at", "hour_entry"])
    audit.created(entry, actor=actor)
    _step(
        order,
        A.CHECK_OUT,
        actor=actor,
        before=order.status,
        note=_("%(name)s, %(hours)s h") % {"name": assignment.person.name, "hours": entry.hours},
    )
    return assignment


# --- the hour ledger ----------------------------------------------------------------------


@transaction.atomic
def add_manual_entry(
    *, actor, person: Person, team: Team, started_at, ended_at, description: str
) -> HourEntry:
    """A period of service recorded by hand (e.g. before the platform): it counts once the
    team leader approves it."""
    if ended_at - started_at < MIN_ENTRY:
        raise DomainError({"ended_at": _("The end must be at least a minute after the start.")})
    if ended_at - started_at > datetime.timedelta(hours=MAX_ENTRY_HOURS):
        raise DomainError({"ended_at": _("One entry cannot be longer than 24 hours.")})
    if ended_at > clock.now():
        raise DomainError({"ended_at": _("Hours can only be recorded for service already given.")})
    if not TeamMembership.objects.filter(team=team, person=person).exists():
        raise DomainError({"team": _("The volunteer is not a member of this team.")})
    _lock_person(person)
    _refuse_overlap(person, started_at, ended_at)
    entry = HourEntry(
        person=person,
        team=team,
        region=team.region,
        started_at=started_at,
        ended_at=ended_at,
        hours=_hours(started_at, ended_at),
        source=c.HourSource.MANUAL,
        description=(description or "").strip(),
        created_by=actor,
        created_at=clock.now(),
    )
    entry.full_clean()
    entry.save()
    counters.apply_difference(counters.Counter(), counters.entry_facts(entry))
    audit.created(entry, actor=actor)
    return entry


@transaction.atomic
def decide_entry(entry: HourEntry, *, actor, approve: bool, reason: str = "") -> HourEntry:
    """The team leader (or an officer) approves or rejects a pending entry; nobody decides
    on their own hours."""
    entry = HourEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    if entry.status != c.HourStatus.PENDING:
        raise StateConflict(_("This entry has already been decided."))
    scope.check(actor, entry, "approve")  # never one's own hours (rules.not_own_hours)
    if not approve:
        reason = _require_reason(reason)
    before = entry.status
    counted = counters.entry_facts(entry)
    if approve:
        _lock_person(entry.person)  # one volunteer's approvals counted one at a time
    entry.status = c.HourStatus.APPROVED if approve else c.HourStatus.REJECTED
    entry.reject_reason = "" if approve else reason
    entry.decided_by = actor
    entry.decided_at = clock.now()
    entry.save()
    counters.apply_difference(counted, counters.entry_facts(entry))
    if approve:
        counters.count_active([entry])
    audit.record(
        "volunteering.hourentry.approved" if approve else "volunteering.hourentry.rejected",
        obj=entry,
        actor=actor,
        changes={"status": [before, entry.status]},
        detail={"reason": reason} if reason else None,
    )
    return entry


def star_level(total_hours) -> int:
    """Stars by total approved hours (100/300/600/1000/1500 h → 1–5)."""
    return sum(1 for threshold in c.STAR_THRESHOLDS if total_hours >= threshold)


# --- certificates (志愿服务记录证明) --------------------------------------------------------


def new_certificate_number() -> str:
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _i in range(10))
    return f"ZYZM{clock.today():%Y}{tail}"


@transaction.atomic
def issue_certificate(
    *, actor, person: Person, team: Team, period_start: datetime.date, period_end: datetime.date
) -> Certificate:
    """Certify the approved hours of `person` with `team` between the two dates."""
    if period_end < period_start:
        raise DomainError({"period_end": _("The end of the period must not be before its start.")})
    period = periods.custom_period(period_start, period_end)
    entries = HourEntry.objects.approved().filter(
        person=person, team=team, started_at__gte=period.start, started_at__lt=period.end
    )
    count = entries.count()
    if not count:
        raise DomainError(_("There are no approved hours with this team in the period."))
    certificate = Certificate.objects.create(
        number=new_certificate_number(),
        person=person,
        team=team,
        holder_name=person.name,
        period_start=period_start,
        period_end=period_end,
        total_hours=entries.total(),
        entries=count,
        issued_by=actor,
        issued_at=clock.now(),
    )
    audit.created(certificate, actor=actor)
    return certificate


def certifiable_people(team: Team, period_start: datetime.date, period_end: datetime.date):
    """The living volunteers with approved hours with `team` between the two dates (the
    caller narrows them to the data scope), in name order."""
    period = periods.custom_period(period_start, period_end)
    served = HourEntry.objects.approved().filter(
        team=team, started_at__gte=period.start, started_at__lt=period.end
    )
    return Person.objects.live().filter(pk__in=served.values("person_id")).order_by("name", "pk")


@transaction.atomic
def issue_team_certificate(
    *, actor, person: Person, team: Team, period_start: datetime.date, period_end: datetime.date
) -> tuple[Certificate, bool]:
    """The certificate of `person`'s approved hours with `team` over the period for a batch
    (a whole team at once): the one already issued for exactly these hours (same period,
    hours and number of services, not revoked) when there is one, so that running the batch
    again (or a retried job) issues no duplicates; else a new one. (certificate, issued)."""
    _lock_person(person)
    period = periods.custom_period(period_start, period_end)
    entries = HourEntry.objects.approved().filter(
        person=person, team=team, started_at__gte=period.start, started_at__lt=period.end
    )
    same = Certificate.objects.filter(
        person=person,
        team=team,
        period_start=period_start,
        period_end=period_end,
        total_hours=entries.total(),
        entries=entries.count(),
        revoked_at__isnull=True,
    ).first()
    if same is not None:
        return same, False
    return issue_certificate(
        actor=actor,
        person=person,
        team=team,
        period_start=period_start,
        period_end=period_end,
    ), True


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Withdraw a certificate issued in error: the public check no longer confirms it and
    its PDF carries a "revoked" mark. The hours themselves are unchanged."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise StateConflict(_("This certificate has already been revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason for revoking the certificate.")})
    certificate.revoked_at = clock.now()
    certificate.revoke_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(
        "volunteering.certificate.revoked",
        obj=certificate,
        actor=actor,
        changes={"revoked_at": [None, certificate.revoked_at.isoformat()]},
        detail={"reason": certificate.revoke_reason},
    )
    return certificate
