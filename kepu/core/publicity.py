"""The rules of a 公示 (public notice), shared by recognition rounds, selections and funded
projects: its end date (a length in calendar or working days, set per call: 5–7 calendar
days is the practice found, domain-wave2 §1.1), whether it is open on a day, the checks
on a written objection, filing one once (idempotent on its client key) and the officers'
written answer. The calling service holds the lock on what is objected to, checks its
own state and writes its own audit code."""

from __future__ import annotations

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, crypto, pii, workdays
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models.publicity import ObjectionBase, ObjectionStatus


def publicity_end(start: datetime.date, days: int, working: bool) -> datetime.date:
    """The last day of a notice starting on `start` and lasting `days` (calendar or
    working) days, `start` included."""
    if working:
        return workdays.add_working_days(start - datetime.timedelta(days=1), days)
    return start + datetime.timedelta(days=days - 1)


def is_open(start, end, day=None) -> bool:
    day = day or clock.today()
    return start is not None and end is not None and start <= day <= end


def closed_or_absent_message(end) -> str:
    """Why an objection is refused: the notice is over, or there is none."""
    if end is not None and clock.today() > end:
        return _("The public notice has closed: objections are no longer accepted.")
    return _("This candidate is not in a public notice.")


def clean_objection(*, name: str, phone: str, text: str) -> dict:
    """The fields of a valid objection (name, the encrypted, hashed and masked phone, the
    text), or a DomainError naming every field that is wrong."""
    errors = {}
    if len((name or "").strip()) < 2:
        errors["name"] = [_("Give your real name.")]
    phone = pii.normalize_phone(phone or "")
    try:
        pii.validate_mobile(phone)
    except Exception:  # noqa: BLE001 - a ValidationError with the field's message
        errors["phone"] = [_("Give a mobile number where we can reach you.")]
    if len((text or "").strip()) < 10:
        errors["text"] = [_("Write the objection and the facts it rests on.")]
    if errors:
        raise DomainError(errors)
    return {
        "name": name.strip()[:40],
        "phone_enc": crypto.seal(phone),
        "phone_hash": crypto.blind_index(phone),
        "phone_masked": pii.mask_phone(phone),
        "text": text.strip(),
    }


def existing(model: type[ObjectionBase], client_key):
    """The objection already filed with this key (a repeated submission), if any."""
    if not client_key:
        return None
    return model.objects.filter(client_key=client_key).first()


def save_objection(objection: ObjectionBase, client_key=None) -> tuple[ObjectionBase, bool]:
    """Save a new objection (fields from `clean_objection`) once: a concurrent repeat with
    the same key returns the first. Audited as created, by the public (no actor)."""
    model = type(objection)
    objection.client_key = client_key or uuid.uuid4()
    objection.filed_at = clock.now()
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        return model.objects.get(client_key=client_key), False
    audit.created(objection, actor=None)
    return objection, True


def answer_objection(objection: ObjectionBase, *, actor, upheld: bool, answer: str, code: str):
    """The officers' written answer, upheld or dismissed, audited as `code`. The caller
    has checked the actor's right (its own permission code) inside its transaction."""
    model = type(objection)
    objection = model.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    if objection.status != ObjectionStatus.PENDING:
        raise StateConflict(_("This objection has already been answered."))
    if not (answer or "").strip():
        raise DomainError({"answer": [_("Write the answer given to the objector.")]})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.answer = answer.strip()
    objection.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    objection.answered_at = clock.now()
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit.record(
        code,
        obj=objection,
        actor=actor,
        changes={"status": [ObjectionStatus.PENDING, objection.status]},
    )
    return objection
