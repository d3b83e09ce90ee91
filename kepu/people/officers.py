"""Services of information officers' work (seeds 003 (十一), 001 四(三)3, 004 (23)): the
activity log (by Excel import or the API, idempotent on a client key), each officer's
month kept in the same transaction, and the monthly feedback a region sends down. The
regions' monthly figures are computed by `people.officer_months` (see `officer_months`).

Also the rule of where the newer registration kinds are attached (seeds 000 (二),
001 三(二)3): a grid officer (科普网格员) to a township grid, a science and technology envoy
(科技特派员) to the county or township served, with the sending unit."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people.models import (
    OfficerActivity,
    OfficerFeedback,
    OfficerPersonMonth,
    Person,
    Registration,
)

MAX_REACH = 2_000_000_000


# --- where a kind is attached -------------------------------------------------------------


def check_kind_place(
    kind, region, *, organization=None, unit_name="", unit_field="organization"
) -> None:
    """Refuse a grid officer above a township, an envoy without a sending unit."""
    level = c.KIND_MIN_LEVEL.get(kind)
    if level and region is not None and region.level < level:
        raise DomainError(
            {"region": _("A grid officer is attached to a township or community grid.")}
        )
    if kind in c.KINDS_WITH_UNIT and organization is None and not (unit_name or "").strip():
        raise DomainError({unit_field: _("Give the envoy's sending unit.")})


# --- activity ----------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def is_officer(person: Person) -> bool:
    return Registration.objects.filter(
        person=person, kind=c.RegistrationKind.INFO_OFFICER, status__in=c.ACTIVE_STATUSES
    ).exists()


def _may_record(actor, person: Person) -> None:
    """The officer themselves (their own log, through the API) or an officer of their
    region with the `create` right."""
    if actor is None or (person.user_id and person.user_id == actor.pk):
        return
    if not scope.has_permission(actor, "people.officeractivity.create"):
        raise DomainError(_("You may not record activity for this person."))
    scope.require_region(actor, OfficerActivity, "create", person.region)


def validate_activity(
    person, *, date, channel, title, views, shares, link="", checked_officer=False
) -> dict:
    """Field errors of one activity (the import and the API share them). The import
    checks the officers of all its rows at once (`checked_officer`)."""
    errors = {}
    if not checked_officer and (person.erased_at is not None or not is_officer(person)):
        errors["person"] = _("This person is not a registered information officer.")
    if date is None or date > clock.today():
        errors["date"] = _("Give the day it was shared (not in the future).")
    if channel not in c.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if not (title or "").strip():
        errors["title"] = _("Give the title of the content.")
    for name, value in (("views", views), ("shares", shares)):
        if value is None or value < 0 or value > MAX_REACH:
            errors[name] = _("Give a whole number, 0 or more.")
    if link and not link.startswith(("http://", "https://")):
        errors["link"] = _("A link starts with http:// or https://.")
    return errors


def _person_month_changes(person: Person, month, rows: int, views: int, shares: int) -> None:
    """Add to the officer's month (created at their region on first activity)."""
    updated = OfficerPersonMonth.objects.filter(person=person, month=month).update(
        activities=F("activities") + rows, views=F("views") + views, shares=F("shares") + shares
    )
    if updated:
        return
    county, city = counters.place(person.region)
    try:
        with transaction.atomic():
            OfficerPersonMonth.objects.create(
                person=person,
                month=month,
                region=person.region,
                county_id=county,
                city_id=city,
                activities=rows,
                views=views,
                shares=shares,
            )
    except IntegrityError:  # a concurrent first activity of the month made the row
        OfficerPersonMonth.objects.filter(person=person, month=month).update(
            activities=F("activities") + rows,
            views=F("views") + views,
            shares=F("shares") + shares,
        )


@transaction.atomic
def record_activity(
    person: Person,
    *,
    actor,
    date,
    channel,
    title,
    link="",
    views=0,
    shares=0,
    client_key="",
    source=c.ActivitySource.API,
) -> tuple[OfficerActivity, bool]:
    """(activity, created). A `client_key` already used for this person returns the
    first row unchanged (an API client's retry), whatever the other values."""
    client_key = (client_key or "").strip()[:64]
    if client_key:
        first = OfficerActivity.objects.filter(person=person, client_key=client_key).first()
        if first is not None:
            return first, False
    _may_record(actor, person)
    errors = validate_activity(
        person, date=date, channel=channel, title=title, views=views, shares=shares, link=link
    )
    if errors:
        raise DomainError(errors)
    activity = OfficerActivity(
        person=person,
        region=person.region,
        date=date,
        channel=channel,
        title=title.strip()[:200],
        link=link,
        views=views,
        shares=shares,
        client_key=client_key,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    try:
        with transaction.atomic():
            activity.save(force_insert=True)
    except IntegrityError:  # the same key, sent twice at once: the other one won
        return OfficerActivity.objects.get(person=person, client_key=client_key), False
    _person_month_changes(person, month_start(date), 1, views, shares)
    audit.created(activity, actor=actor)
    return activity, True


@transaction.atomic
def import_activities(rows: list[OfficerActivity], *, actor) -> int:
    """Write checked rows (all or nothing) and their officers' months; one audit entry."""
    if not rows:
        return 0
    now = clock.now()
    for row in rows:
        row.created_at = now
        row.source = c.ActivitySource.IMPORT
        row.created_by = actor if getattr(actor, "is_authenticated", False) else None
    created = OfficerActivity.objects.bulk_create(rows, batch_size=1000)
    months: dict[tuple, list] = {}
    for row in rows:
        total = months.setdefault((row.person_id, month_start(row.date)), [row.person, 0, 0, 0])
        total[1] += 1
        total[2] += row.views
        total[3] += row.shares
    for (_pid, month), (person, n, views, shares) in months.items():
        _person_month_changes(person, month, n, views, shares)
    ids = [r.pk for r in created if r.pk]
    audit.record(
        "people.officeractivity.imported",
        actor=actor,
        object_type="people.officeractivity",
        detail={
            "rows": len(rows),
            "first_id": min(ids) if ids else None,
            "last_id": max(ids) if ids else None,
        },
    )
    transaction.on_commit(lambda: _refresh_months(actor, sorted({m for _p, m in months})))
    return len(rows)


def _refresh_months(actor, months) -> None:
    from kepu.core import jobs

    for month in months[-3:]:
        jobs.start(
            "people.officer_months",
            actor=actor,
            params={"month": month.isoformat()},
            idem=f"officer-months-{month:%Y%m}-{clock.now():%Y%m%d%H%M}",
        )


# --- monthly feedback ----------------------------------------------------------------------


@transaction.atomic
def send_feedback(region, month, *, actor, note="") -> OfficerFeedback:
    """Send the month's figures and ranks to the regions directly below `region` (they
    see a reminder on their workbench). Only once the month has figures."""
    from kepu.people.models import OfficerMonth

    if actor is not None:
        scope.require_region(actor, OfficerFeedback, "send", region)
    if region.level >= RegionLevel.COUNTY:
        raise DomainError(_("The feedback goes to cities and counties: choose a higher region."))
    children = OfficerMonth.objects.filter(parent=region, month=month).count()
    if not children:
        raise DomainError(_("This month has no figures yet: nothing to send."))
    feedback = (
        OfficerFeedback.objects.select_for_update().filter(region=region, month=month).first()
    )
    before = audit.snapshot(feedback) if feedback else None
    if feedback is None:
        feedback = OfficerFeedback(region=region, month=month)
    feedback.note = (note or "").strip()[:500]
    feedback.recipients = children
    feedback.sent_by = actor if getattr(actor, "is_authenticated", False) else None
    feedback.sent_at = clock.now()
    feedback.save()
    audit.record(
        "people.officerfeedback.issued",
        obj=feedback,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(feedback)) if before else None,
        detail={"month": f"{month:%Y-%m}", "recipients": children, "again": before is not None},
    )
    return feedback
