"""The service order workflow: placing, dispatch, claim, acceptance, return, rejection,
completion, rating, closing and escalation (the table is in the package docstring)."""

from __future__ import annotations

import datetime
import decimal
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock, crypto, pii, workdays
from kepu.core.choices import NoticePurpose
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, PrivacyNotice, Region
from kepu.people.models import Person, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering import rollups as counters
from kepu.volunteering.models import (
    Assignment,
    HourEntry,
    OrderEvent,
    ServiceOrder,
)

S = c.OrderStatus
A = c.OrderAction

# step -> (statuses it starts from, status it leads to; None: decided by the step)
TRANSITIONS = {
    A.DISPATCH: ((S.SUBMITTED,), None),
    A.CLAIM: ((S.DISPATCHED,), S.AWAITING_TEAM),
    A.ACCEPT: ((S.AWAITING_TEAM,), S.ACCEPTED),
    A.CHECK_IN: ((S.ACCEPTED, S.IN_SERVICE), S.IN_SERVICE),
    A.CHECK_OUT: ((S.IN_SERVICE,), S.IN_SERVICE),
    A.COMPLETE: ((S.ACCEPTED, S.IN_SERVICE), S.SERVED),
    A.RATE: ((S.SERVED,), S.CLOSED),
    A.CLOSE: ((S.SERVED,), S.CLOSED),
    A.RETURN: ((S.DISPATCHED, S.AWAITING_TEAM, S.ACCEPTED), None),
    A.REJECT: ((S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM), S.REJECTED),
    A.CANCEL: ((S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM, S.ACCEPTED), S.CANCELLED),
}
# The permission (on ServiceOrder) each step needs; views check it with get_for_user.
STEP_PERMISSION = {
    A.DISPATCH: "dispatch",
    A.REJECT: "dispatch",
    A.CLOSE: "dispatch",
    A.CLAIM: "claim",
    A.ACCEPT: "accept",
    A.COMPLETE: "accept",
}
# The audit action of each step, in the past participle like every action code
# ("volunteering.serviceorder.dispatched"; before 2026-12 the bare step: ".dispatch").
AUDIT_ACTIONS = {
    A.DISPATCH: "dispatched",
    A.CLAIM: "claimed",
    A.ACCEPT: "accepted",
    A.CHECK_IN: "checked_in",
    A.CHECK_OUT: "checked_out",
    A.COMPLETE: "completed",
    A.RATE: "rated",
    A.CLOSE: "closed",
    A.RETURN: "returned",
    A.REJECT: "rejected",
    A.CANCEL: "cancelled",
    A.ESCALATE: "escalated",
}
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def dispatch_days() -> int:
    return settings.KEPU_ORDER_DISPATCH_DAYS


def accept_days() -> int:
    return settings.KEPU_ORDER_ACCEPT_DAYS


def return_permission(order: ServiceOrder) -> str:
    """Who may hand an order back: the department while it holds it, the team after."""
    return "claim" if order.status == S.DISPATCHED else "accept"


def _locked(order: ServiceOrder) -> ServiceOrder:
    """The order locked for a change. It remembers its counters (`volunteering.rollups`)
    as they are, so that `_step`, which every change ends with, adds the difference."""
    locked = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    locked._counted = counters.order_facts(locked)
    return locked


def _check(order: ServiceOrder, step: str) -> None:
    sources, _target = TRANSITIONS[step]
    if order.status not in sources:
        raise StateConflict(
            _("This order is “%(status)s”; that step is not possible now.")
            % {"status": order.get_status_display()}
        )


def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return _("Requester")
    return actor.display_name or actor.username


def _step(order, step, *, actor, before, note="", detail=None, changes=None, label=None):
    """Write the timeline step and the audit entry of a change already applied, and
    move the order's counters (from `_locked`) to where the change put it."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    counted = counters.order_facts(order)
    counters.apply_difference(getattr(order, "_counted", counters.Counter()), counted)
    order._counted = counted
    OrderEvent.objects.create(
        order=order,
        at=clock.now(),
        action=step,
        from_status=before,
        to_status=order.status,
        actor=actor,
        actor_label=label or _label(actor),
        note=note[:500],
    )
    audit.record(
        f"volunteering.serviceorder.{AUDIT_ACTIONS[step]}",
        obj=order,
        actor=actor,
        changes=changes or ({"status": [before, order.status]} if before != order.status else {}),
        detail={"note": note[:200], **(detail or {})} if note or detail else None,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason; the requester and the sender see it.")})
    return reason


# --- ordering (点单) ---------------------------------------------------------------------


def new_order_number() -> str:
    today = clock.today()
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _i in range(6))
    return f"{today:%Y%m%d}{tail}"


def submit_order(
    *,
    actor=None,
    client_key=None,
    name: str,
    phone: str,
    category: str,
    key_group: str,
    region: Region,
    address: str,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    expected_attendees: int,
    description: str,
    latitude=None,
    longitude=None,
    notice=None,
    organization: Organization | None = None,
) -> tuple[ServiceOrder, bool]:
    """Place an order; (order, created). The same `client_key` twice with the same details
    returns the first order (a double click, a network retry or a parallel duplicate),
    never a second; the key sent with other details is refused (StateConflict) without a
    word about the order it belongs to, whichever path (page or API) sent it."""
    name = (name or "").strip()
    replay = dict(
        name=name,
        phone=phone,
        category=category,
        region=region,
        address=address,
        window_start=window_start,
        window_end=window_end,
        expected_attendees=expected_attendees,
        description=description,
    )
    if client_key:
        existing = ServiceOrder.objects.filter(client_key=client_key).first()
        if existing is not None:
            return _replayed(existing, **replay), False
    if not name:
        raise DomainError({"name": _("Enter a contact name.")})
    PrivacyNotice.check_purpose(notice, NoticePurpose.ORDER)
    phone = pii.normalize_phone(phone)
    pii.validate_mobile(phone)
    if region.level < 3:
        raise DomainError({"region": _("Choose the county, and the township if you can.")})
    if window_end <= window_start:
        raise DomainError({"window_end": _("The end of the time window must be after its start.")})
    if window_end < clock.now():
        raise DomainError({"window_end": _("The time window is already over.")})
    user = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            order = ServiceOrder(
                submitted_at=clock.now(),
                number=new_order_number(),
                client_key=client_key or None,
                requester_kind=c.RequesterKind.COMMUNITY
                if organization
                else c.RequesterKind.CITIZEN,
                requester_name=name,
                requester_phone_enc=crypto.seal(phone),
                requester_phone_hash=crypto.blind_index(phone),
                requester_phone_masked=pii.mask_phone(phone),
                requester_user=user,
                requester_organization=organization,
                notice=notice,
                category=category,
                key_group=key_group,
                region=region,
                address=address.strip(),
                latitude=latitude,
                longitude=longitude,
                window_start=window_start,
                window_end=window_end,
                expected_attendees=expected_attendees,
                description=description.strip(),
            )
            order.dispatch_due = workdays.deadline(order.submitted_at, dispatch_days())
            # The uniqueness of client_key is left to the database: a parallel duplicate
            # then fails the insert (IntegrityError, handled below) instead of a check.
            # The fields' own rules (lengths, choices, ranges) in Python. Not asked of the
            # database again: the related rows the caller passed (region, notice, user,
            # organization), the random token's uniqueness and the check constraints,
            # which the insert enforces (each was a query or a savepoint per order).
            order.full_clean(
                exclude=[
                    "number",
                    "client_key",
                    "token",
                    "requester_phone_enc",
                    "requester_phone_hash",
                    "region",
                    "notice",
                    "requester_user",
                    "requester_organization",
                ],
                validate_constraints=False,
            )
            order.save()
            OrderEvent.objects.create(
                order=order,
                at=order.submitted_at,
                action=A.SUBMIT,
                to_status=order.status,
                actor=user,
                actor_label=organization.name if organization else _("Requester"),
            )
            audit.created(order, actor=user)
            counters.apply_difference(counters.Counter(), counters.order_facts(order))
            order._counted = counters.order_facts(order)
    except IntegrityError:
        # Lost the race with a parallel submission of the same form: it is the order.
        existing = (
            ServiceOrder.objects.filter(client_key=client_key).first() if client_key else None
        )
        if existing is None:
            raise
        return _replayed(existing, **replay), False
    return order, True


def _replayed(
    order: ServiceOrder,
    *,
    name,
    phone,
    category,
    region,
    address,
    window_start,
    window_end,
    expected_attendees,
    description,
) -> ServiceOrder:
    """The order of a reused client key, when the submission is the same one again (a
    retry sends the same details). Another person's details with the key are refused: the
    key alone never hands out an order's private link."""
    same = (
        order.requester_phone_hash == crypto.blind_index(pii.normalize_phone(phone))
        and order.requester_name == name
        and order.category == category
        and order.region_id == region.pk
        and order.address == (address or "").strip()
        and order.window_start == window_start
        and order.window_end == window_end
        and order.expected_attendees == expected_attendees
        and order.description == (description or "").strip()
    )
    if not same:
        raise StateConflict(_("This form was already used. Check the details and send again."))
    return order


@transaction.atomic
def cancel_order(order: ServiceOrder, *, reason: str = "") -> ServiceOrder:
    """The requester withdraws the order (through the private link) before service."""
    order = _locked(order)
    _check(order, A.CANCEL)
    before = order.status
    order.status = S.CANCELLED
    order.closed_at = clock.now()
    order.reason = (reason or "").strip()[:300]
    order.save()
    _step(order, A.CANCEL, actor=None, before=before, note=order.reason)
    return order


# --- dispatch, claim, accept (派单, 领单, 接单) --------------------------------------------


def _team_covers(team: Team, region: Region) -> bool:
    """A team serves its own region and everything below it."""
    return region.path.startswith(team.region.path)


def ancestor_paths(region: Region) -> list[str]:
    parts = region.path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def covering_teams(order: ServiceOrder):
    """The teams that serve the order's place (their region contains it)."""
    return (
        Team.objects.filter(region__path__in=ancestor_paths(order.region))
        .select_related("region", "organization")
        .order_by("region__path", "name")
    )


def dispatch_departments(order: ServiceOrder):
    """The departments an order can be dispatched to: active member departments, or
    units that run volunteer teams (themselves or through sub-units), at the order's
    place or above it (a county order may go to a county, city or provincial department;
    the names of organizations are not personal data)."""
    from kepu.core.choices import OrgType

    with_teams = Team.objects.filter(organization__isnull=False).values("organization_id")
    parents_of_teams = Team.objects.filter(organization__parent__isnull=False).values(
        "organization__parent_id"
    )
    return (
        Organization.objects.filter(region__path__in=ancestor_paths(order.region), is_active=True)
        .filter(
            Q(org_type=OrgType.MEMBER_DEPARTMENT)
            | Q(pk__in=with_teams)
            | Q(pk__in=parents_of_teams)
        )
        .select_related("region")
        .order_by("region__path", "name")
    )


@transaction.atomic
def dispatch(
    order: ServiceOrder, *, actor, department: Organization | None = None, team: Team | None = None
) -> ServiceOrder:
    """派单: the officer sends the order to a member department (which claims it) or
    directly to a team (which accepts it)."""
    if (department is None) == (team is None):
        raise DomainError(_("Choose either a department or a team."))
    order = _locked(order)
    _check(order, A.DISPATCH)
    if team is not None and not _team_covers(team, order.region):
        raise DomainError({"team": _("This team does not serve the order's region.")})
    if department is not None and not dispatch_departments(order).filter(pk=department.pk).exists():
        raise DomainError({"department": _("This department does not serve the order's region.")})
    before = order.status
    now = clock.now()
    order.department = department
    order.team = team
    order.status = S.AWAITING_TEAM if team else S.DISPATCHED
    order.dispatched_at = now
    order.dispatched_on_time = order.dispatch_due is None or now <= order.dispatch_due
    order.accept_due = workdays.deadline(now, accept_days())
    order.escalated_to = None
    order.escalated_at = None
    order.reason = ""
    order.save()
    target = team or department
    _step(
        order,
        A.DISPATCH,
        actor=actor,
        before=before,
        note=_("To %(target)s") % {"target": target.name},
        detail={"department": getattr(department, "pk", None), "team": getattr(team, "pk", None)},
    )
    return order


def claim_teams(order: ServiceOrder):
    """The teams the order's department may pass it to: its own and its sub-units' that
    serve the order's place (the choices of the claim step, page and API alike)."""
    if order.department_id is None:
        return Team.objects.none()
    return (
        department_teams(order.department)
        .filter(region__path__in=ancestor_paths(order.region))
        .order_by("region__path", "name")
    )


def department_teams(department: Organization):
    """The teams a department may pass an order to: its own and its sub-units'."""
    return Team.objects.filter(
        Q(organization=department) | Q(organization__parent=department)
    ).select_related("region", "organization")


@transaction.atomic
def claim(order: ServiceOrder, *, actor, team: Team) -> ServiceOrder:
    """领单: the department takes the order and passes it to one of its teams."""
    order = _locked(order)
    _check(order, A.CLAIM)
    if not department_teams(order.department).filter(pk=team.pk).exists():
        raise DomainError({"team": _("Choose one of the department's own teams.")})
    if not _team_covers(team, order.region):
        raise DomainError({"team": _("This team does not serve the order's region.")})
    before = order.status
    order.team = team
    order.status = S.AWAITING_TEAM
    order.claimed_at = clock.now()
    order.save()
    _step(
        order, A.CLAIM, actor=actor, before=before, note=_("To %(target)s") % {"target": team.name}
    )
    return order


@transaction.atomic
def accept(order: ServiceOrder, *, actor, volunteers) -> ServiceOrder:
    """接单: the team accepts and assigns volunteers from its members."""
    order = _locked(order)
    _check(order, A.ACCEPT)
    volunteers = list(volunteers)
    if not volunteers:
        raise DomainError({"volunteers": _("Assign at least one volunteer.")})
    members = set(
        TeamMembership.objects.filter(team=order.team, person__in=volunteers).values_list(
            "person_id", flat=True
        )
    )
    outsiders = [p.name for p in volunteers if p.pk not in members]
    if outsiders:
        raise DomainError(
            {
                "volunteers": _("Not members of the team: %(names)s")
                % {"names": "、".join(outsiders)}
            }
        )
    before = order.status
    now = clock.now()
    order.status = S.ACCEPTED
    order.accepted_at = now
    order.accepted_on_time = order.accept_due is None or now <= order.accept_due
    order.escalated_to = None
    order.escalated_at = None
    order.save()
    Assignment.objects.bulk_create(
        Assignment(order=order, person=p, assigned_at=now) for p in volunteers
    )
    _step(
        order,
        A.ACCEPT,
        actor=actor,
        before=before,
        note="、".join(p.name for p in volunteers),
        detail={"volunteers": [p.pk for p in volunteers]},
    )
    return order


@transaction.atomic
def return_order(order: ServiceOrder, *, actor, reason: str) -> ServiceOrder:
    """Hand the order back one level with a reason: the department to the dispatcher; the
    team to the department that passed it (or to the dispatcher). Assignments of a team
    that gives back an accepted order are dropped."""
    reason = _require_reason(reason)
    order = _locked(order)
    _check(order, A.RETURN)
    before = order.status
    if order.status == S.DISPATCHED or not order.department_id:
        order.status = S.SUBMITTED
        order.department = None
        order.team = None
        order.dispatch_due = workdays.deadline(clock.now(), dispatch_days())
        order.accept_due = None
    else:
        order.status = S.DISPATCHED
        order.team = None
    order.accepted_at = None
    order.accepted_on_time = None
    order.reason = reason
    order.save()
    order.assignments.all().delete()
    _step(order, A.RETURN, actor=actor, before=before, note=reason)
    return order


@transaction.atomic
def reject(order: ServiceOrder, *, actor, reason: str) -> ServiceOrder:
    """The officer turns the order down (not a volunteer service, out of area …)."""
    reason = _require_reason(reason)
    order = _locked(order)
    _check(order, A.REJECT)
    before = order.status
    order.status = S.REJECTED
    order.reason = reason
    order.closed_at = clock.now()
    order.save()
    _step(order, A.REJECT, actor=actor, before=before, note=reason)
    return order


@transaction.atomic
def complete(order: ServiceOrder, *, actor) -> ServiceOrder:
    """The team closes the service: everyone must have checked out; their check-in hours
    are confirmed (approved) with it."""
    order = _locked(order)
    _check(order, A.COMPLETE)
    assignments = list(order.assignments.select_related("person"))
    if not any(a.checked_out_at for a in assignments):
        raise StateConflict(_("No volunteer has checked in and out yet."))
    still_in = [a.person.name for a in assignments if a.checked_in_at and not a.checked_out_at]
    if still_in:
        raise StateConflict(
            _("Still checked in: %(names)s. Check them out first.") % {"names": "、".join(still_in)}
        )
    before = order.status
    now = clock.now()
    order.status = S.SERVED
    order.served_at = now
    order.save()
    entries = HourEntry.objects.filter(
        order=order, source=c.HourSource.CHECK_IN, status=c.HourStatus.PENDING
    )
    confirmed = list(entries.select_for_update().order_by("pk"))
    # The volunteers locked (as _lock_person does, after the entry, as decide_entry
    # does), so that the active-volunteer counters count each volunteer once.
    people = sorted({e.person_id for e in confirmed})
    list(Person.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))
    total = sum((e.hours for e in confirmed), decimal.Decimal(0))
    counted = sum((counters.entry_facts(e) for e in confirmed), counters.Counter())
    entries.update(status=c.HourStatus.APPROVED, decided_by=actor, decided_at=now)
    for entry in confirmed:
        entry.status = c.HourStatus.APPROVED
    recounted = sum((counters.entry_facts(e) for e in confirmed), counters.Counter())
    counters.apply_difference(counted, recounted)
    counters.count_active(confirmed)
    _step(
        order,
        A.COMPLETE,
        actor=actor,
        before=before,
        note=_("%(hours)s volunteer hours confirmed") % {"hours": total},
    )
    return order


# --- rating and closing (评单) ------------------------------------------------------------


@transaction.atomic
def rate(order: ServiceOrder, *, rating: int, comment: str = "") -> ServiceOrder:
    order = _locked(order)
    _check(order, A.RATE)
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError({"rating": _("Choose one to five stars.")})
    before = order.status
    now = clock.now()
    order.rating = rating
    order.rating_comment = (comment or "").strip()[:500]
    order.rated_at = now
    order.status = S.CLOSED
    order.closed_at = now
    order.save()
    _step(
        order,
        A.RATE,
        actor=None,
        before=before,
        note="★" * rating + (f" {order.rating_comment}" if order.rating_comment else ""),
        changes={"status": [before, order.status], "rating": [None, rating]},
    )
    return order


@transaction.atomic
def close(order: ServiceOrder, *, actor, note: str = "") -> ServiceOrder:
    """The officer closes a served order that the requester has not rated."""
    order = _locked(order)
    _check(order, A.CLOSE)
    before = order.status
    order.status = S.CLOSED
    order.closed_at = clock.now()
    order.save()
    _step(order, A.CLOSE, actor=actor, before=before, note=(note or "").strip())
    return order


# --- timeouts (超时升级) -------------------------------------------------------------------


def escalate_overdue(now=None) -> int:
    """Flag overdue orders and hand them to the level above: the parent of the order's
    region, then the next level after each further period without action. Returns the
    number of orders escalated."""
    now = now or clock.now()
    overdue = ServiceOrder.objects.overdue(now).select_related("region", "escalated_to")
    return sum(1 for order in overdue if escalate(order, now=now))


def escalate(order: ServiceOrder, *, now=None) -> bool:
    """Hand one overdue order to the level above (what `escalate_overdue` does for each);
    False when it is not overdue, the level above still has time, or there is none."""
    now = now or clock.now()
    days = dispatch_days() if order.status == S.SUBMITTED else accept_days()
    if order.escalated_at and workdays.deadline(order.escalated_at, days) >= now:
        return False  # escalated, and the level above still has time
    current = order.escalated_to or order.region
    if current.parent_id is None:
        return False
    with transaction.atomic():
        locked = _locked(order)
        if locked.status != order.status or locked.escalated_to_id != order.escalated_to_id:
            return False
        if not ServiceOrder.objects.overdue(now).filter(pk=locked.pk).exists():
            return False
        parent = Region.objects.get(pk=current.parent_id)
        locked.escalated_to = parent
        locked.escalated_at = now
        locked.save(update_fields=["escalated_to", "escalated_at", "updated_at"])
        _step(
            locked,
            A.ESCALATE,
            actor=None,
            before=locked.status,
            note=_("Overdue; escalated to %(region)s") % {"region": parent.name},
            label=_("System"),
            changes={"escalated_to": [current.code, parent.code]},
        )
    return True
