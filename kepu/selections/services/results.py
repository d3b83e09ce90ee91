"""Calls, last part: the 公示 (public notice) of the candidates the officers chose from the
ranked list and the panel's vote, the written objections and their answers, and the
decision (结果发布): the awardees, their honours in the people registry (so the plans'
Tianfu-envoy figure moves) and their certificates with an unguessable verification code.

Call: panel → publicity → decided. Entries: scored → candidate | not_awarded → awarded |
not_awarded (an upheld objection)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, publicity, scope
from kepu.core.choices import OrgType
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models.publicity import ObjectionStatus
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry, Objection

PUBLIC_TAG = "selections"
PUBLICIZED = "selections.call.publicized"


def require(actor, obj, action) -> None:
    """The actor may `action` `obj`: in scope for it, and no object rule refuses (the
    system, `actor=None`, always may)."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def locked_call(call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("region").get(pk=call.pk)


def panel_result(call) -> dict:
    """The panel's result per entry (the review slice's `panel.panel_result`):
    {entry_id: {"passed", "for", "against", "abstain", "quorum"}}; {} without a panel."""
    import importlib.util

    # Until the review area's panel is merged, no panel means no vote to respect.
    if importlib.util.find_spec("kepu.selections.services.panel") is None:  # pragma: no cover
        return {}
    from kepu.selections.services import panel

    return panel.panel_result(call)


def default_candidates(call, ranked=None, result=None) -> list[int]:
    """The entries proposed by default: the best corrected ranks that passed the panel
    vote (every one without a panel), up to the call's places."""
    ranked = ranked if ranked is not None else ranked_entries(call)
    result = result if result is not None else panel_result(call)
    chosen = [e.pk for e in ranked if not result or result.get(e.pk, {}).get("passed")]
    return chosen[: call.award_count] if call.award_count else chosen


def ranked_entries(call):
    """The scored entries of a call by corrected rank (then raw rank), for the choice."""
    return list(
        Entry.objects.filter(call=call, status=c.EntryStatus.SCORED)
        .select_related("region", "organization", "person")
        .order_by("corrected_rank", "raw_rank", "pk")
    )


@transaction.atomic
def start_publicity(call, *, actor, entries) -> Call:
    """Put the chosen scored entries on public notice (→ candidate) and the other scored
    ones out (→ not awarded). Refused: a call not in its panel meeting, nothing chosen, an
    entry not scored in this call, one that failed the panel vote, more than the places.
    The notice starts today and lasts the call's length (calendar or working days)."""
    call = locked_call(call)
    require(actor, call, "publicize")
    if call.status != c.CallStatus.PANEL:
        raise StateConflict(_("The public notice follows the panel meeting."))
    pks = {getattr(e, "pk", e) for e in entries}
    if not pks:
        raise DomainError({"entries": [_("Choose the candidates for the public notice.")]})
    scored = {
        e.pk: e
        for e in Entry.objects.select_for_update(of=("self",)).filter(
            call=call, status=c.EntryStatus.SCORED
        )
    }
    unknown = pks - set(scored)
    if unknown:
        raise DomainError({"entries": [_("Only scored entries of this call can be candidates.")]})
    if call.award_count and len(pks) > call.award_count:
        raise DomainError(
            {
                "entries": [
                    _("The call has %(places)d places; %(n)d candidates were chosen.")
                    % {"places": call.award_count, "n": len(pks)}
                ]
            }
        )
    result = panel_result(call)
    if result:
        failed = [scored[pk].title for pk in sorted(pks) if not result.get(pk, {}).get("passed")]
        if failed:
            raise DomainError(
                {
                    "entries": [
                        _("Did not pass the panel vote: %(names)s.") % {"names": "、".join(failed)}
                    ]
                }
            )
    Entry.objects.filter(pk__in=pks).update(status=c.EntryStatus.CANDIDATE)
    others = Entry.objects.filter(call=call, status=c.EntryStatus.SCORED).exclude(pk__in=pks)
    not_awarded = others.update(status=c.EntryStatus.NOT_AWARDED)
    today = clock.today()
    call.status = c.CallStatus.PUBLICITY
    call.publicity_from = today
    call.publicity_to = publicity.publicity_end(
        today, call.publicity_days, call.publicity_working_days
    )
    call.save(update_fields=["status", "publicity_from", "publicity_to"])
    audit.record(
        PUBLICIZED, obj=call, actor=actor,
        changes={"status": [c.CallStatus.PANEL, c.CallStatus.PUBLICITY]},
        detail={"candidates": sorted(pks), "not_awarded": not_awarded,
                "from": today.isoformat(), "until": call.publicity_to.isoformat()},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return call


def publicized_by(call) -> int | None:
    """The user who started the call's notice (from the audit trail), or None."""
    from kepu.core.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            action=PUBLICIZED, object_type="selections.call", object_id=str(call.pk)
        )
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )


@transaction.atomic
def file_objection(entry, *, name, phone, text, client_key=None) -> tuple[Objection, bool]:
    """A written objection to a candidate, by anyone under a real name with a mobile
    number, only while the notice is open. A repeat with the same `client_key` is the
    same objection: (objection, created)."""
    found = publicity.existing(Objection, client_key)
    if found is not None:
        return found, False
    entry = Entry.objects.select_for_update(of=("self",)).select_related("call").get(pk=entry.pk)
    call = entry.call
    if entry.status != c.EntryStatus.CANDIDATE or not call.publicity_open_on(clock.today()):
        raise StateConflict(publicity.closed_or_absent_message(call.publicity_to))
    fields = publicity.clean_objection(name=name, phone=phone, text=text)
    return publicity.save_objection(Objection(entry=entry, **fields), client_key)


@transaction.atomic
def answer_objection(objection, *, actor, upheld: bool, answer: str) -> Objection:
    """The officers' written answer: upheld (the candidate will not be awarded) or
    dismissed. Only while the call is still undecided."""
    require(actor, objection, "answer")
    if objection.entry.call.status != c.CallStatus.PUBLICITY:
        raise StateConflict(_("The results of this call have been published."))
    return publicity.answer_objection(
        objection, actor=actor, upheld=upheld, answer=answer,
        code="selections.objection.answered",
    )  # fmt: skip


def decision_checks(call) -> dict:
    """What the decision waits for: {"closed": the notice is over, "pending": objections
    still unanswered, "candidates": entries on notice}."""
    today = clock.today()
    objections = Objection.objects.filter(entry__call=call)
    return {
        "closed": call.publicity_to is not None and today > call.publicity_to,
        "pending": objections.filter(status=ObjectionStatus.PENDING).count(),
        "candidates": Entry.objects.filter(call=call, status=c.EntryStatus.CANDIDATE).count(),
    }


def issuing_body(call) -> str:
    """The organizing region's science association (the body that confers the honour)."""
    from kepu.core.models import Organization

    org = (
        Organization.objects.filter(region=call.region, org_type=OrgType.SCIENCE_ASSOCIATION)
        .order_by("pk")
        .first()
    )
    return (
        org.name
        if org
        else _("%(region)s Association for Science and Technology") % {"region": call.region.name}
    )


def next_numbers(prefix: str, count: int) -> list[str]:
    """`count` certificate numbers continuing the series `prefix` (001, 002 …)."""
    used = Entry.objects.filter(certificate_number__startswith=prefix).values_list(
        "certificate_number", flat=True
    )
    tails = (n[len(prefix) :] for n in used)
    start = max((int(t) for t in tails if t.isdigit()), default=0)
    return [f"{prefix}{start + i + 1:03d}" for i in range(count)]


def certificate_prefix(call) -> str:
    return call.certificate_prefix or f"KP{call.year}-{call.pk}-"


@transaction.atomic
def decide_call(call, *, actor, decision_number: str, decided_on=None) -> list[Entry]:
    """The decision (结果发布), once the notice has closed and every objection has its
    answer, by an officer other than the one who started the notice: the candidates
    without an upheld objection are awarded (a certificate number of the call's series
    and a verification code each; an honour in the people registry for each person when
    the call confers one), the others are not. Returns the awarded entries."""
    call = locked_call(call)
    require(actor, call, "decide")
    if call.status != c.CallStatus.PUBLICITY:
        raise StateConflict(_("The decision follows the public notice."))
    today = clock.today()
    if call.publicity_to is None or today <= call.publicity_to:
        raise StateConflict(
            _("The public notice runs until %(d)s; decide after it.")
            % {"d": call.publicity_to.isoformat() if call.publicity_to else "-"}
        )
    number = (decision_number or "").strip()
    if not number:
        raise DomainError({"decision_number": [_("Give the number of the decision document.")]})
    decided_on = decided_on or today
    if decided_on < call.publicity_to:
        raise DomainError({"decided_on": [_("The decision cannot come before the notice's end.")]})
    objections = Objection.objects.filter(entry__call=call)
    if objections.filter(status=ObjectionStatus.PENDING).exists():
        raise DomainError(_("Answer every objection before deciding."))
    upheld = set(
        objections.filter(status=ObjectionStatus.UPHELD).values_list("entry_id", flat=True)
    )
    candidates = list(
        Entry.objects.select_for_update(of=("self",))
        .filter(call=call, status=c.EntryStatus.CANDIDATE)
        .select_related("person")
        .order_by("corrected_rank", "raw_rank", "pk")
    )
    awarded = [e for e in candidates if e.pk not in upheld]
    numbers = next_numbers(certificate_prefix(call), len(awarded))
    body = issuing_body(call) if call.honour else ""
    for entry, cert in zip(awarded, numbers, strict=True):
        entry.status = c.EntryStatus.AWARDED
        entry.certificate_number = cert
        entry.certificate_code = secrets.token_urlsafe(16)[:22]
        fields = ["status", "certificate_number", "certificate_code"]
        if call.honour and entry.person_id is not None:
            entry.honour = _confer_honour(call, entry, body)
            fields.append("honour")
        entry.save(update_fields=fields)
        audit.record(
            "selections.entry.awarded", obj=entry, actor=actor,
            changes={"status": [c.EntryStatus.CANDIDATE, c.EntryStatus.AWARDED]},
            detail={"certificate": cert, "honour": entry.honour_id},
        )  # fmt: skip
    dropped = Entry.objects.filter(pk__in=upheld, call=call, status=c.EntryStatus.CANDIDATE)
    dropped_n = dropped.update(status=c.EntryStatus.NOT_AWARDED)
    call.status = c.CallStatus.DECIDED
    call.decision_number, call.decided_on = number[:60], decided_on
    call.save(update_fields=["status", "decision_number", "decided_on"])
    audit.record(
        "selections.call.decided", obj=call, actor=actor,
        changes={"status": [c.CallStatus.PUBLICITY, c.CallStatus.DECIDED]},
        detail={"awarded": len(awarded), "not_awarded": dropped_n,
                "decision": call.decision_number},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return awarded


def _confer_honour(call, entry, body):
    """The honour in the people registry (the year of the selection, by the organizing
    region's science association), through the people app's service."""
    from kepu.people import services as people

    return people.add_record(
        "honour", entry.person, actor=None, honour=call.honour,
        title=(call.award_title or call.get_honour_display())[:120], year=call.year,
        awarded_by=body[:200],
    )  # fmt: skip


def find_certificate(code: str):
    """The awarded entry with this verification code, or None (no partial matches)."""
    code = (code or "").strip()
    if not 16 <= len(code) <= 32:
        return None
    return (
        Entry.objects.filter(certificate_code=code, status=c.EntryStatus.AWARDED)
        .select_related("call", "call__region", "person", "organization", "region")
        .first()
    )
