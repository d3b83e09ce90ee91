"""Writing the audit trail. Services call `record` inside their transaction, so a failed
audit write rolls the business change back (fail closed)."""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, request_context
from kepu.core.choices import AuditOutcome
from kepu.core.models import AuditEntry

# Readable names of action codes for the audit pages (later apps add theirs).
ACTION_LABELS = {
    "core.user.logged_in": _("Logged in"),
    "core.user.logged_out": _("Logged out"),
    "core.user.login_failed": _("Login failed"),
    "core.user.locked_out": _("Account locked"),
    "core.user.otp_failed": _("Wrong verification code"),
    "core.user.created": _("Account created"),
    "core.user.updated": _("Account changed"),
    "core.user.unlocked": _("Account unlocked"),
    "core.user.password_changed": _("Password changed"),
    "core.user.password_reset": _("Password reset"),
    "core.user.totp_enabled": _("Two-factor login turned on"),
    "core.user.totp_disabled": _("Two-factor login turned off"),
    "core.user.totp_reset": _("Second factor reset by an administrator"),
    "core.roleassignment.created": _("Role granted"),
    "core.roleassignment.deleted": _("Role revoked"),
    "core.apitoken.created": _("API token created"),
    "core.apitoken.revoked": _("API token revoked"),
    "core.access.denied": _("Access denied"),
    "core.organization.created": _("Organization created"),
    "core.organization.updated": _("Organization changed"),
    "core.organization.exported": _("Organizations exported"),
    "core.region.population_set": _("Region population set"),
    "core.importjob.validated": _("Import checked"),
    "core.importjob.applied": _("Import applied"),
    "core.importjob.rejected": _("Import rejected"),
    "core.importjob.files_purged": _("Uploaded import files deleted"),
    "core.auditentry.exported": _("Audit trail exported"),
    "core.auditentry.purged": _("Expired audit entries deleted"),
    "core.privacynotice.published": _("Privacy notice version published"),
    "core.auditentry.verified": _("Audit trail verified"),
    "core.job.started": _("Background job started"),
    "core.job.succeeded": _("Background job finished"),
    "core.job.failed": _("Background job failed"),
    "core.job.downloaded": _("Job output downloaded"),
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, "")


# Field names whose values are personal information: the trail keeps only a mask.
_MASKERS: dict[str, callable] = {}


def register_masker(field_name: str, masker) -> None:
    """Declare that values of `field_name` are masked in audit diffs (e.g. phone)."""
    _MASKERS[field_name] = masker


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields=None) -> dict:
    """Plain values of `fields` (default: the model's AUDIT_FIELDS) for diffing."""
    fields = fields or getattr(obj, "AUDIT_FIELDS", ())
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _plain(getattr(obj, attname))
    return values


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for changed fields, personal data masked."""
    changes = {}
    for name in after:
        old, new = before.get(name), after[name]
        if old != new:
            masker = _MASKERS.get(name)
            if masker:
                old, new = masker(old), masker(new)
            changes[name] = [old, new]
    return changes


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    changes: dict | None = None,
    detail: dict | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
) -> AuditEntry:
    """Append one entry. `action` is a dotted code such as `core.organization.created`."""
    ctx = request_context.current()
    if actor is None:
        actor = ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        region = getattr(obj, "region", None)
        if not region_code and region is not None:
            region_code = region.code
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=getattr(actor, "username", "") if actor else "",
        action=action,
        outcome=outcome,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        region_code=region_code,
        changes=changes or {},
        detail=detail or {},
        ip=ctx.ip,
        request_id=ctx.request_id,
        # The real time, except inside `clock.frozen` (the demo loaders replaying past
        # workflows through the services): then the replayed moment.
        created_at=clock.now(),
    )


def created(obj: models.Model, *, actor=None, **kwargs) -> AuditEntry:
    """The entry for a new row: `<app>.<model>.created` with every audited field as
    [None, value] (personal data masked)."""
    return record(
        f"{obj._meta.app_label}.{obj._meta.model_name}.created",
        obj=obj,
        actor=actor,
        changes=diff({}, snapshot(obj)),
        **kwargs,
    )


def bulk_record(action: str, objects, *, actor=None, detail: dict | None = None) -> None:
    """One `created`-style entry per object, inserted in batches (imports)."""
    ctx = request_context.current()
    actor = actor or ctx.user
    entries = []
    for obj in objects:
        region = getattr(obj, "region", None)
        entries.append(
            AuditEntry(
                actor=actor,
                actor_username=actor.username if actor else "",
                action=action,
                object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                region_code=region.code if region is not None else "",
                changes=diff({}, snapshot(obj)),
                detail=detail or {},
                ip=ctx.ip,
                request_id=ctx.request_id,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
