"""The base registry: registering a base (by an officer, or by naming at the end of a
recognition round), changing its details, moving its status in dynamic management, and
expiring the bases whose cycle has ended."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.bases import choices as c
from kepu.bases.models import Base
from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict

PUBLIC_TAG = "bases"


def _bump() -> None:
    """The portal's pages of the bases, and the catalog's map points (they mark the
    places that are listed bases: kepu.bases.map_marks)."""
    from kepu.resources.rollups import PUBLIC_TAG as CATALOG_TAG

    publiccache.bump(PUBLIC_TAG, CATALOG_TAG)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(base: Base) -> Base:
    return Base.objects.select_for_update(of=("self",)).select_related("region").get(pk=base.pk)


def cycle_end(valid_from: datetime.date) -> datetime.date:
    """The last day of a five-year recognition cycle starting on `valid_from`."""
    try:
        end = valid_from.replace(year=valid_from.year + c.CYCLE_YEARS)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + c.CYCLE_YEARS, day=28)
    return end - datetime.timedelta(days=1)


def _check_place(base: Base) -> None:
    from kepu.resources.choices import ResourceType

    place = base.place
    if place is not None and (
        place.resource_type != ResourceType.PLACE or place.organization_id != base.organization_id
    ):
        raise DomainError({"place": [_("Choose a place of the unit's own in the catalog.")]})


@transaction.atomic
def register_base(
    *, actor, organization, level, category, valid_from, valid_to=None, **fields
) -> Base:
    """A base in the registry (an officer recording a base recognized elsewhere, or the
    naming step of a recognition round). It lies in its unit's region."""
    if actor is not None:
        scope.require_region(actor, Base, "create", organization.region)
    base = Base(
        organization=organization,
        region=organization.region,
        level=level,
        category=category,
        valid_from=valid_from,
        valid_to=valid_to or cycle_end(valid_from),
        created_by=_user(actor),
        name=fields.pop("name", "") or organization.name,
        **fields,
    )
    base.full_clean(validate_constraints=False)
    _check_place(base)
    if Base.objects.listed().filter(organization=organization, level=level).exists():
        raise DomainError(_("This unit is already a listed base at this level."))
    if base.number and Base.objects.filter(number=base.number).exists():
        raise DomainError({"number": [_("Another base has this certificate number.")]})
    base.save()
    audit.created(base, actor=actor)
    _bump()
    return base


@transaction.atomic
def change_base(base: Base, *, actor, **fields) -> Base:
    """Change a base's details (its unit's staff or an officer). Level, validity and
    status are not details: they change through recognition and dynamic management."""
    base = _locked(base)
    if actor is not None:
        scope.check(actor, base, "change")
    unknown = set(fields) - set(Base.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(base)
    for name, value in fields.items():
        setattr(base, name, value)
    base.full_clean(validate_constraints=False)
    _check_place(base)
    base.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "bases.base.changed",
        obj=base,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(base)),
    )
    _bump()
    return base


# Moves of dynamic management: from → allowed to.
TRANSITIONS = {
    c.BaseStatus.ACTIVE: {
        c.BaseStatus.WARNED,
        c.BaseStatus.RECTIFYING,
        c.BaseStatus.REVOKED,
        c.BaseStatus.EXPIRED,
    },
    c.BaseStatus.WARNED: {
        c.BaseStatus.ACTIVE,
        c.BaseStatus.RECTIFYING,
        c.BaseStatus.REVOKED,
        c.BaseStatus.EXPIRED,
    },
    c.BaseStatus.RECTIFYING: {c.BaseStatus.ACTIVE, c.BaseStatus.REVOKED, c.BaseStatus.EXPIRED},
    c.BaseStatus.REVOKED: set(),
    c.BaseStatus.EXPIRED: set(),
}
STATUS_ACTIONS = {
    c.BaseStatus.ACTIVE: "bases.base.kept",
    c.BaseStatus.WARNED: "bases.base.warned",
    c.BaseStatus.RECTIFYING: "bases.base.rectification_ordered",
    c.BaseStatus.REVOKED: "bases.base.revoked",
    c.BaseStatus.EXPIRED: "bases.base.expired",
}


@transaction.atomic
def set_base_status(
    base: Base, status: str, *, actor, reason: str = "", permission: str = "change"
) -> Base:
    """Move a base in dynamic management (warned, under rectification, kept, revoked).
    The evaluation and rectification services call it with their own permission."""
    base = _locked(base)
    if actor is not None:
        scope.check(actor, base, permission)
    if status not in TRANSITIONS[base.status]:
        raise StateConflict(
            _("This base is “%(status)s”; it cannot become “%(to)s”.")
            % {"status": base.get_status_display(), "to": c.BaseStatus(status).label}
        )
    if (
        status in (c.BaseStatus.WARNED, c.BaseStatus.RECTIFYING, c.BaseStatus.REVOKED)
        and not reason.strip()
    ):
        raise DomainError({"reason": [_("Give the reason.")]})
    previous = base.status
    base.status, base.status_reason = status, reason.strip()[:300]
    base.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        STATUS_ACTIONS[status],
        obj=base,
        actor=actor,
        changes={"status": [previous, status]},
        detail={"reason": base.status_reason} if base.status_reason else {},
    )
    _bump()
    return base


@transaction.atomic
def expire_bases(*, today: datetime.date | None = None) -> int:
    """Expire the listed bases whose validity has ended (the daily schedule); one audit
    entry naming them."""
    today = today or clock.today()
    rows = Base.objects.listed().filter(valid_to__lt=today)
    ids = list(rows.values_list("pk", flat=True)[:10000])
    if not ids:
        return 0
    Base.objects.filter(pk__in=ids).update(status=c.BaseStatus.EXPIRED, updated_at=clock.now())
    audit.record(
        "bases.base.expired",
        object_type="bases.base",
        detail={"bases": len(ids), "first": min(ids), "last": max(ids), "on": today.isoformat()},
    )
    _bump()
    return len(ids)
