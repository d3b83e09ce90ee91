"""Tamper evidence for the audit trail: an HMAC hash chain, seals and verification.

Every entry gets the next sequence number `seq` and
`hash = HMAC-SHA256(key, canonical content + prev_hash)` where `prev_hash` is the hash of
the entry before it. The key comes from `KEPU_AUDIT_KEY` ("id:base64,…", first = active),
never from the database, so whoever can write the database (or a backup) can delete or
edit rows but cannot make the chain agree again. The hash carries its key's id
(`a1$<hex>`), so a rotated key ring still verifies older entries.

- Linking: the chain position is taken under a lock held to the end of the writing
  transaction — a PostgreSQL advisory lock; SQLite transactions start IMMEDIATE, so its
  writers are serialized already — and `seq` is unique, so two writers can never fork it.
- Seals (`seal()`, hourly): a signed record of the chain head, so a removed tail or an
  emptied table is found even though the remaining chain is consistent.
- Purge (`purge_before`, the retention job): deletes a prefix of the chain after signing a
  `purge` record of the last deleted entry, where verification starts afterwards.
- `verify()` walks the chain (the `core.verify_audit` job, `manage.py verify_audit`) and
  reports the first broken link.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.crypto import key_ring

log = logging.getLogger("kepu.audit")

# The fields an entry's hash covers, in order (every column but the id and the hash).
FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_repr",
    "region_code",
    "changes",
    "detail",
    "ip",
    "request_id",
    "prev_hash",
)
SEAL_FIELDS = ("kind", "seq", "entry_hash", "entries", "created_at")
# pg_advisory_xact_lock key of the chain head ("kepuaudt").
LOCK_KEY = 0x6B65707561756474


def _ring(spec: str) -> tuple[str, dict[str, bytes]]:
    return key_ring(spec, "KEPU_AUDIT_KEY")


def key_ids() -> list[str]:
    return list(_ring(settings.AUDIT_KEYS)[1])


# --- Canonical content --------------------------------------------------------------------


def _json(value):
    """The value as it reads back from the JSON column on either database: JSON types
    only, and whole floats as integers (jsonb prints 1e20 as 100000000000000000000)."""

    def norm(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return norm(json.loads(json.dumps(value)))


def _time(value) -> str:
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _ip(value) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def _canonical(values: dict) -> bytes:
    items = []
    for name in FIELDS:
        value = values[name]
        if name == "created_at":
            value = _time(value)
        elif name in ("changes", "detail"):
            value = _json(value)
        elif name == "ip":
            value = _ip(value)
        items.append(value)
    return json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _mac(kid: str, payload: bytes) -> str:
    key = _ring(settings.AUDIT_KEYS)[1][kid]
    return f"{kid}${hmac.new(key, kid.encode() + b'|' + payload, hashlib.sha256).hexdigest()}"


def entry_hash(values: dict, kid: str | None = None) -> str:
    """The chain hash of an entry (a dict of FIELDS, or use `hash_of` for a model)."""
    return _mac(kid or _ring(settings.AUDIT_KEYS)[0], _canonical(values))


def hash_of(entry, kid: str | None = None) -> str:
    return entry_hash({name: getattr(entry, name) for name in FIELDS}, kid)


def seal_mac(seal, kid: str | None = None) -> str:
    values = [getattr(seal, name) for name in SEAL_FIELDS]
    values[-1] = _time(values[-1])
    payload = json.dumps(values, separators=(",", ":")).encode()
    return _mac(kid or _ring(settings.AUDIT_KEYS)[0], b"seal|" + payload)


# --- Linking ------------------------------------------------------------------------------


def _lock(using: str) -> None:
    """Hold the chain head until the end of the transaction (see the module docstring)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def head(using: str = "default") -> tuple[int, str]:
    """(seq, hash) of the last entry; (0, "") for an empty chain, or the last purge record
    when every entry has been purged."""
    from kepu.core.models import AuditEntry, AuditSeal

    last = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last
    anchor = (
        AuditSeal.objects.using(using)
        .filter(kind=AuditSeal.Kind.PURGE)
        .order_by("-seq")
        .values_list("seq", "entry_hash")
        .first()
    )
    return anchor or (0, "")


def link(entries: list, insert: Callable[[], object], using: str = "default"):
    """Give `entries` (unsaved AuditEntry objects) their place in the chain and insert them
    with `insert()`, in one transaction with the lock held."""
    # No savepoint of its own (two round trips saved on every audited request): a failed
    # audit write fails the whole transaction, as it must (fail closed).
    with transaction.atomic(using=using, savepoint=False):
        _lock(using)
        seq, prev = head(using)
        for entry in entries:
            seq += 1
            entry.seq = seq
            entry.prev_hash = prev
            entry.hash = prev = hash_of(entry)
        return insert()


# --- Seals and the purge ------------------------------------------------------------------


def seal(using: str = "default"):
    """Record the chain head in a signed seal (the `core.seal_audit` schedule) and log it,
    so the central log collection keeps a copy outside the database."""
    from kepu.core import clock
    from kepu.core.models import AuditEntry, AuditSeal

    with transaction.atomic(using=using):
        _lock(using)
        seq, last_hash = head(using)
        record = AuditSeal(
            kind=AuditSeal.Kind.SEAL,
            seq=seq,
            entry_hash=last_hash,
            entries=AuditEntry.objects.using(using).count(),
            created_at=clock.now(),
        )
        record.mac = seal_mac(record)
        record.save(using=using)
    log.info("audit seal: seq=%s hash=%s entries=%s", seq, last_hash, record.entries)
    return record


def purge_before(cutoff, using: str = "default") -> int:
    """Delete the entries older than `cutoff` that come before the first entry inside the
    window (a prefix of the chain; an old entry written later, e.g. by a demo replay, waits
    for the next purge). The last deleted entry is recorded first, signed, as the place
    where verification starts: the database refuses to delete entries beyond it."""
    from kepu.core import clock
    from kepu.core.models import AuditEntry, AuditSeal

    entries = AuditEntry.objects.using(using)
    with transaction.atomic(using=using):
        _lock(using)
        young = entries.filter(created_at__gte=cutoff).order_by("seq").values("seq").first()
        first = entries.order_by("seq").values_list("seq", flat=True).first()
        if first is None:
            return 0
        upto = young["seq"] - 1 if young else head(using)[0]
        if upto < first:
            return 0
        last_hash = entries.filter(seq=upto).values_list("hash", flat=True).get()
        anchor = AuditSeal(
            kind=AuditSeal.Kind.PURGE,
            seq=upto,
            entry_hash=last_hash,
            entries=entries.filter(seq__gt=upto).count(),
            created_at=clock.now(),
        )
        anchor.mac = seal_mac(anchor)
        anchor.save(using=using)
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A SECURITY DEFINER function: the application's role has no DELETE on the
                # table (docs/deploy.md); the triggers still check age and purge record.
                cursor.execute("SELECT core_auditentry_purge(%s)", [upto])
                deleted = cursor.fetchone()[0]
            else:
                cursor.execute("DELETE FROM core_auditentry WHERE seq <= %s", [upto])
                deleted = cursor.rowcount
    return deleted


# --- Verification -------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of one verification: `ok`, the entries checked, and the first problem."""

    ok: bool = True
    entries: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    seals: int = 0
    problem: str = ""
    problem_seq: int | None = None
    checked_at: str = field(default_factory=lambda: timezone.now().isoformat())

    def fail(self, seq, message: str) -> Report:
        self.ok, self.problem_seq, self.problem = False, seq, message
        return self

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "seals": self.seals,
            "problem": self.problem,
            "problem_seq": self.problem_seq,
            "checked_at": self.checked_at,
        }


def _check(values: dict, stored: str) -> str:
    """ "" when `stored` is the entry's hash; else what is wrong."""
    kid = stored.partition("$")[0]
    if kid not in _ring(settings.AUDIT_KEYS)[1]:
        return _("it is signed with the key %(kid)s, which is not in KEPU_AUDIT_KEY") % {
            "kid": kid or "?"
        }
    if not hmac.compare_digest(entry_hash(values, kid), stored):
        return _("its content does not match its signature (it was altered)")
    return ""


def _seal_ok(record) -> bool:
    kid = record.mac.partition("$")[0]
    if kid not in _ring(settings.AUDIT_KEYS)[1]:
        return False
    return hmac.compare_digest(seal_mac(record, kid), record.mac)


def verify(using: str = "default", progress: Callable | None = None) -> Report:
    """Walk the whole chain in order and report the first broken link (a few seconds per
    million entries; run as a job, never in a request)."""
    from kepu.core.models import AuditEntry, AuditSeal

    report = Report()
    seals = list(AuditSeal.objects.using(using).order_by("seq", "pk"))
    report.seals = len(seals)
    for record in seals:
        if not _seal_ok(record):
            return report.fail(
                record.seq,
                _("The %(kind)s record of %(time)s was forged or altered.")
                % {"kind": record.get_kind_display(), "time": _local(record.created_at)},
            )
    anchors = [s for s in seals if s.kind == AuditSeal.Kind.PURGE]
    anchor = anchors[-1] if anchors else None
    expected = {}
    for record in seals:
        expected.setdefault(record.seq, []).append(record)
    total = AuditEntry.objects.using(using).count()
    rows = AuditEntry.objects.using(using).order_by("seq").values_list(*FIELDS, "id", "hash")
    last_seq, last_hash = None, None
    for row in _stream(rows):
        values = dict(zip(FIELDS, row, strict=False))
        pk, stored, seq = row[-2], row[-1], values["seq"]
        if last_seq is None:
            report.first_seq = seq
            problem = _start_problem(seq, values["prev_hash"], anchor)
            if problem:
                return report.fail(seq, problem)
        elif seq != last_seq + 1:
            missing = {"a": last_seq + 1, "b": seq - 1}
            return report.fail(seq, _("Entries %(a)d to %(b)d are missing (deleted).") % missing)
        elif values["prev_hash"] != last_hash:
            return report.fail(
                seq, _("Entry %(seq)d (id %(id)d) does not follow entry %(prev)d.")
                % {"seq": seq, "id": pk, "prev": last_seq},
            )  # fmt: skip
        problem = _check(values, stored)
        if problem:
            where = {"seq": seq, "id": pk, "problem": problem}
            return report.fail(seq, _("Entry %(seq)d (id %(id)d): %(problem)s.") % where)
        for record in expected.get(seq, ()):
            if record.entry_hash != stored:
                what = {
                    "seq": seq,
                    "kind": record.get_kind_display(),
                    "time": _local(record.created_at),
                }
                return report.fail(
                    seq,
                    _("Entry %(seq)d differs from the one recorded by the %(kind)s of %(time)s.")
                    % what,
                )
        last_seq, last_hash = seq, stored
        report.entries += 1
        if progress and report.entries % 20000 == 0:
            progress(report.entries, total)
    report.last_seq = last_seq
    sealed = max((s.seq for s in seals if s.kind == AuditSeal.Kind.SEAL), default=0)
    if sealed and (last_seq or 0) < sealed and (anchor is None or anchor.seq < sealed):
        return report.fail(
            (last_seq or 0) + 1,
            _("Entries %(a)d to %(b)d, recorded by a seal, are missing (deleted).")
            % {"a": (last_seq or 0) + 1, "b": sealed},
        )
    return report


def _start_problem(seq: int, prev_hash: str, anchor) -> str:
    if seq == 1:
        return "" if prev_hash == "" else _("The first entry does not start the chain.")
    if anchor is not None and seq == anchor.seq + 1:
        if prev_hash != anchor.entry_hash:
            return _("Entry %(seq)d does not follow the last purged entry.") % {"seq": seq}
        return ""
    if anchor is not None and seq <= anchor.seq:
        return ""  # a purge that did not finish: its remaining entries are checked on
    return _("Entries 1 to %(b)d are missing and no purge accounts for them.") % {"b": seq - 1}


def _stream(queryset, size: int = 5000) -> Iterable[tuple]:
    """Rows in `seq` order, a page at a time (keyset on seq: no long-open cursor)."""
    after = None
    while True:
        page = list((queryset.filter(seq__gt=after) if after is not None else queryset)[:size])
        yield from page
        if len(page) < size:
            return
        after = page[-1][0]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
