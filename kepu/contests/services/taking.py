"""Taking part: register, start (or resume) an attempt, save answers as one goes, submit.

The hot path of a burst (thousands of answers a second when a round opens) is built so
that no request waits on a shared row:

- saving an answer is one UPDATE of the attempt's own row, merging the answer into its
  JSON in the database (`answers || {…}` on PostgreSQL, `json_patch` on SQLite) under
  `status = 'active' AND deadline >= now`, so two saves never lose each other and a late
  one changes nothing; the attempt is named by a signed token (no session, no read
  before the write);
- no counter is incremented per participant or answer (`Standing` holds one row per
  participant; the rankings aggregate it in the background);
- the participants' own steps are not written to the audit chain (its lock would
  serialize the burst): the attempt row is their record (start, the server time of each
  answer, submission), and every officer's step on it is audited.

The server's clock decides: `deadline` = start + the round's time limit; an answer that
arrives later than `GRACE` after it is refused, and an attempt left open is scored at
its deadline with what it holds (`expire_due`)."""

from __future__ import annotations

import datetime
import json
import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound, Participant, Standing
from kepu.contests.services import paper as papers
from kepu.core import clock, crypto, pii
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds

GRACE = datetime.timedelta(seconds=3)
TOKEN_SALT = "kepu.contests.attempt"  # noqa: S105 (a signing salt)
PARTICIPANT_SALT = "kepu.contests.participant"
# An attempt whose answers came on average faster than this is impossible (nobody reads
# a question and its options in less); excluded, with the reason shown to the organizer.
IMPOSSIBLE_MS = 700


# --- tokens ---------------------------------------------------------------------------


def invalid_link() -> str:
    return _("This attempt link is not valid. Start again from the contest page.")


def attempt_token(attempt: Attempt) -> str:
    return signing.dumps(
        [attempt.pk, attempt.round_id, attempt.seed, int(attempt.started_at.timestamp() * 1000)],
        salt=TOKEN_SALT, compress=False,
    )  # fmt: skip


def read_attempt_token(token: str) -> tuple[int, int, int, int]:
    """(attempt, round, seed, start in epoch milliseconds) of a token this server signed."""
    try:
        pk, round_id, seed, started_ms = signing.loads(token or "", salt=TOKEN_SALT)
        return int(pk), int(round_id), int(seed), int(started_ms)
    except (signing.BadSignature, TypeError, ValueError):
        raise DomainError(invalid_link()) from None


def participant_token(participant: Participant) -> str:
    return signing.dumps([participant.pk, participant.contest_id], salt=PARTICIPANT_SALT)


def read_participant_token(token: str, contest: Contest) -> Participant | None:
    try:
        pk, contest_id = signing.loads(token or "", salt=PARTICIPANT_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if contest_id != contest.pk:
        return None
    return Participant.objects.filter(pk=pk, contest=contest).select_related("region").first()


def device_key(round_: ContestRound, cookie: str) -> str:
    return crypto.blind_index(f"contest:{round_.pk}:{cookie}") if cookie else ""


# --- registration -----------------------------------------------------------------------


def eligible_region(contest: Contest, region: Region) -> bool:
    lo, hi = subtree_bounds(contest.region.path)
    return lo <= region.path < hi and region.level >= 3


def register(
    contest: Contest, *, name: str, phone: str, region: Region, group: str, unit: str = "",
    consent: bool, person=None,
) -> tuple[Participant, bool]:  # fmt: skip
    """The participant of this phone in this contest (created when new). A known phone
    with another name is refused: the phone identifies the person, and a wrong name
    means a typo or someone else's number."""
    errors = {}
    name = pii.normalize_text(name or "")
    if not name:
        errors["name"] = [_("Enter your full name.")]
    phone = pii.normalize_phone(phone or "")
    try:
        pii.validate_mobile(phone)
    except DomainError:
        errors["phone"] = [_("Enter a mobile number of 11 digits starting with 1.")]
    except Exception:  # noqa: BLE001 — the validator's own error class
        errors["phone"] = [_("Enter a mobile number of 11 digits starting with 1.")]
    if not consent:
        errors["consent"] = [_("Agree to the contest's personal-information notice to take part.")]
    if region is None or not eligible_region(contest, region):
        errors["region"] = [_("Choose your county or district within the contest's region.")]
    if group not in c.Group.values:
        errors["group"] = [_("Choose the group you belong to.")]
    elif contest.audience != c.Audience.OPEN and group != contest.audience:
        errors["group"] = [
            _("This contest is for %(group)s.") % {"group": c.Audience(contest.audience).label}
        ]
    if errors:
        raise DomainError(errors)
    digest = crypto.blind_index(phone)
    existing = Participant.objects.filter(contest=contest, phone_hash=digest).first()
    if existing is not None:
        return _same_person(existing, name), False
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                contest=contest, region=region, name=name, phone_enc=crypto.seal(phone),
                phone_hash=digest, phone_masked=pii.mask_phone(phone), group=group,
                unit=(unit or "").strip()[:80], person=person, consent_at=clock.now(),
                notice_version=contest.notice_version,
            )  # fmt: skip
        return participant, True
    except IntegrityError:  # the same phone registered at the same moment (a double tap)
        existing = Participant.objects.get(contest=contest, phone_hash=digest)
        return _same_person(existing, name), False


def _same_person(participant: Participant, name: str) -> Participant:
    if participant.name != name:
        raise DomainError(
            {"phone": [_("This mobile number is already registered in this contest under "
                         "another name.")]}
        )  # fmt: skip
    return participant


# --- starting -----------------------------------------------------------------------------


def round_is_open(round_: ContestRound, now=None) -> bool:
    now = now or clock.now()
    return round_.status == c.RoundStatus.OPEN and round_.opens_at <= now < round_.closes_at


def check_eligible(round_: ContestRound, participant: Participant) -> None:
    eligible = list(round_.regions.all())
    if eligible and not any(
        subtree_bounds(r.path)[0] <= participant.region.path < subtree_bounds(r.path)[1]
        for r in eligible
    ):
        raise DomainError(_("Residents of your region do not take part in this round."))
    if (
        round_.previous_id
        and not Standing.objects.filter(
            round_id=round_.previous_id, participant=participant, advanced=True
        ).exists()
    ):
        raise DomainError(
            _("Only those who advanced from the previous round take part in this one.")
        )


def used_up(round_: ContestRound) -> str:
    return _("You have used all your attempts at this round (%(n)d).") % {
        "n": round_.attempts_allowed
    }


def start(
    round_: ContestRound, participant: Participant, *, device: str = "", practice: bool = False
) -> tuple[Attempt, bool]:
    """The participant's active attempt at this round, resumed when there is one, else a
    new one; (attempt, created). Refused when the round is not open, the participant is
    not eligible, or their attempts are used up."""
    now = clock.now()
    if not round_is_open(round_, now):
        raise StateConflict(_("This round is not open now."))
    if participant.contest_id != round_.contest_id:
        raise DomainError(_("This round belongs to another contest."))
    if practice and not round_.practice:
        raise DomainError(_("This round has no practice mode."))
    if not practice:
        check_eligible(round_, participant)
    active = Attempt.objects.filter(
        round=round_, participant=participant, status=c.AttemptStatus.ACTIVE
    ).first()
    if active is not None:
        if active.deadline + GRACE >= now:
            return active, False
        finish(active, expired=True)
    used = Attempt.objects.filter(round=round_, participant=participant, practice=False).count()
    if not practice and used >= round_.attempts_allowed:
        raise StateConflict(used_up(round_))
    flags = []
    if device and not practice and (
        Attempt.objects.filter(round=round_, device=device, practice=False)
        .exclude(participant=participant).exists()
    ):  # fmt: skip
        flags.append(c.Flag.SHARED_DEVICE)
    deadline = now + datetime.timedelta(seconds=round_.time_limit)
    deadline = min(deadline, round_.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                round=round_, participant=participant, region_id=participant.region_id,
                number=0 if practice else used + 1, practice=practice,
                seed=secrets.randbelow(2**31), started_at=now, deadline=deadline,
                device=device, flags=flags,
            )  # fmt: skip
    except IntegrityError:  # a double tap on "start": the other request's attempt
        attempt = Attempt.objects.filter(
            round=round_, participant=participant, status=c.AttemptStatus.ACTIVE
        ).first()
        if attempt is None:
            raise StateConflict(used_up(round_)) from None
        return attempt, False
    return attempt, True


# --- saving answers ---------------------------------------------------------------------


def _merge_sql() -> str:
    table = Attempt._meta.db_table
    if connection.vendor == "postgresql":
        return (
            f"UPDATE {table} SET answers = answers || %s::jsonb, times = %s::jsonb || times "  # noqa: S608
            "WHERE id = %s AND status = 'active' AND deadline >= %s"
        )
    return (
        f"UPDATE {table} SET answers = json_patch(answers, %s), "  # noqa: S608
        "times = json_patch(%s, times) "
        "WHERE id = %s AND status = 'active' AND deadline >= %s"
    )


def save_answers(token: str, round_: ContestRound, given: list[tuple[int, int, list]]) -> int:
    """Store answers [(position, item, displayed option indexes)] of the attempt named
    by `token`; returns how many were stored. Each is checked against the attempt's
    paper first (a forged question or a tampered option raises and nothing is stored);
    an answer after the time limit, or to a submitted attempt, is refused."""
    pk, round_id, seed, started_ms = read_attempt_token(token)
    if round_id != round_.pk:
        raise DomainError(invalid_link())
    paper = papers.paper(round_, seed)
    answers = {str(pos): paper.answer_of(pos, item, chosen) for pos, item, chosen in given}
    if not answers:
        return 0
    now = clock.now()
    elapsed = max(0, int(now.timestamp() * 1000) - started_ms)
    times = {key: elapsed for key in answers}
    with connection.cursor() as cursor:
        cursor.execute(
            _merge_sql(),
            [json.dumps(answers), json.dumps(times), pk, now - GRACE],
        )
        stored = cursor.rowcount
    if stored:
        return len(answers)
    attempt = Attempt.objects.filter(pk=pk, round=round_).only("status", "deadline").first()
    if attempt is None:
        raise DomainError(invalid_link())
    if attempt.status == c.AttemptStatus.ACTIVE:
        raise StateConflict(
            _("Time is up: this answer arrived after the time limit and was not counted.")
        )
    raise StateConflict(_("This attempt has already been submitted; answers can no longer change."))


# --- submitting ---------------------------------------------------------------------------


def _timing_flags(round_: ContestRound, attempt: Attempt, paper) -> tuple[list, str]:
    """Flags from the server's answer times; an exclusion reason when impossible."""
    times = sorted(int(v) for v in (attempt.times or {}).values())
    gaps = [b - a for a, b in zip([0, *times], times, strict=False)]
    flags = [f for f in attempt.flags or [] if f != c.Flag.TOO_FAST]
    reason = ""
    fast = sum(1 for g in gaps if g < round_.min_seconds * 1000)
    if gaps and fast:
        flags.append(c.Flag.TOO_FAST)
    if len(times) >= max(3, len(paper) // 2) and times[-1] < IMPOSSIBLE_MS * len(times):
        flags.append(c.Flag.IMPOSSIBLE)
        reason = impossible_reason(len(times), times[-1])
    return flags, reason


def impossible_reason(answers: int, elapsed_ms: int) -> str:
    """Why an attempt was excluded, stored in the platform's language (the organizer reads
    it; the participant who submitted may have used another)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(n)d answers in %(s).1f seconds: faster than anyone can read them.") % {
            "n": answers, "s": elapsed_ms / 1000,
        }  # fmt: skip


def finish(attempt: Attempt, *, expired: bool = False) -> Attempt:
    """Score and close an active attempt (idempotent: a closed one is returned as it is).
    Scored on the answers stored before the deadline; the time used is the server's."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update().select_related("round", "participant")
            .get(pk=attempt.pk)
        )  # fmt: skip
        if attempt.status != c.AttemptStatus.ACTIVE:
            return attempt
        round_ = attempt.round
        paper = papers.paper(round_, attempt.seed)
        now = clock.now()
        end = min(now, attempt.deadline)
        attempt.score, attempt.correct = papers.score(round_, paper, attempt.answers or {})
        attempt.time_used_ms = max(0, int((end - attempt.started_at).total_seconds() * 1000))
        attempt.submitted_at = now
        attempt.flags, reason = _timing_flags(round_, attempt, paper)
        late = now > attempt.deadline + GRACE
        if reason:
            attempt.status = c.AttemptStatus.EXCLUDED
            attempt.excluded_reason = reason[:200]
        elif expired or late:
            attempt.status = c.AttemptStatus.EXPIRED
        else:
            attempt.status = c.AttemptStatus.SUBMITTED
        attempt.save(update_fields=[
            "score", "correct", "time_used_ms", "submitted_at", "flags", "status",
            "excluded_reason",
        ])  # fmt: skip
        if not attempt.practice and attempt.status in c.COUNTED_ATTEMPT_STATUSES:
            _stand(attempt)
    return attempt


def submit(token: str, round_: ContestRound) -> Attempt:
    """The participant's final submission (idempotent: a replay returns the result)."""
    pk, round_id, _seed, _started = read_attempt_token(token)
    if round_id != round_.pk:
        raise DomainError(invalid_link())
    attempt = Attempt.objects.filter(pk=pk, round=round_).first()
    if attempt is None:
        raise DomainError(invalid_link())
    return finish(attempt)


def _better(a, b) -> bool:
    """Is (score, time, submitted) `a` ranked before `b`?"""
    return (-a[0], a[1], a[2]) < (-b[0], b[1], b[2])


def _stand(attempt: Attempt) -> None:
    """Write the participant's standing with this attempt if it is their best."""
    mine = (attempt.score, attempt.time_used_ms, attempt.submitted_at)
    standing = (
        Standing.objects.select_for_update()
        .filter(round_id=attempt.round_id, participant_id=attempt.participant_id).first()
    )  # fmt: skip
    if standing is None:
        Standing.objects.create(
            round_id=attempt.round_id, participant_id=attempt.participant_id,
            region_id=attempt.region_id, group=attempt.participant.group, attempt=attempt,
            score=attempt.score, time_used_ms=attempt.time_used_ms,
            submitted_at=attempt.submitted_at, attempts=1,
        )  # fmt: skip
        return
    standing.attempts += 1
    fields = ["attempts"]
    if _better(mine, (standing.score, standing.time_used_ms, standing.submitted_at)):
        standing.attempt = attempt
        standing.score, standing.time_used_ms, standing.submitted_at = mine
        fields += ["attempt", "score", "time_used_ms", "submitted_at"]
    standing.save(update_fields=fields)


def restand(round_id: int, participant_id: int) -> None:
    """Recompute a participant's standing from their counted attempts (after an officer
    excludes or restores one)."""
    attempts = list(
        Attempt.objects.filter(
            round_id=round_id, participant_id=participant_id, practice=False,
            status__in=c.COUNTED_ATTEMPT_STATUSES,
        ).select_related("participant")
    )  # fmt: skip
    Standing.objects.filter(round_id=round_id, participant_id=participant_id).delete()
    if not attempts:
        return
    best = min(attempts, key=lambda a: (-a.score, a.time_used_ms, a.submitted_at, a.pk))
    Standing.objects.create(
        round_id=round_id, participant_id=participant_id, region_id=best.region_id,
        group=best.participant.group, attempt=best, score=best.score,
        time_used_ms=best.time_used_ms, submitted_at=best.submitted_at, attempts=len(attempts),
    )  # fmt: skip


def expire_due(now=None, limit: int = 5000) -> int:
    """Score the attempts whose deadline (and grace) passed without a submission."""
    now = now or clock.now()
    due = list(
        Attempt.objects.filter(status=c.AttemptStatus.ACTIVE, deadline__lt=now - GRACE)
        .order_by("deadline").values_list("pk", flat=True)[:limit]
    )  # fmt: skip
    for pk in due:
        finish(Attempt(pk=pk), expired=True)
    return len(due)
