"""The officers' steps on contests and rounds: create and change a contest and its
rounds, publish, finish or cancel a contest, draw a round's question set from the bank
by its blueprint, open and close a round (and the schedule that closes rounds at the end
of their window), exclude and restore an attempt, and reveal a participant's phone.

Every step is audited and checks the organizing region's object rule (`scope_rules`:
only the officers of the organizing region run a contest; the officers below read it).
The participants' own steps are in `taking`."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound, Participant, RoundItem
from kepu.contests.services import rankings, taking
from kepu.contests.services.taking_cache import PUBLIC_TAG
from kepu.core import audit, clock, crypto, publiccache, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.literacy import choices as lc
from kepu.literacy.models import Dimension, Item

CONTEST_FIELDS = ("region", "organizer", "title", "year", "audience", "description", "rules",
                  "notice")  # fmt: skip
ROUND_FIELDS = (
    "stage", "title", "opens_at", "closes_at", "instrument", "blueprint", "questions",
    "points_per_question", "time_limit", "min_seconds", "attempts_allowed", "practice",
    "previous", "advancement", "advance_n", "advance_score", "advance_level",
)  # fmt: skip
LIVE_CONTEST = (c.ContestStatus.DRAFT, c.ContestStatus.PUBLISHED)
EDITABLE_ROUND = (c.RoundStatus.DRAFT, c.RoundStatus.READY)
# Attempts in progress scored by closing a round in the request (the rest: the schedule).
INLINE_SCORING = 500
# Attempts are judged while the round runs and until its results are published.
JUDGED_ROUND = (c.RoundStatus.OPEN, c.RoundStatus.CLOSED)


# --- predicates (the pages show buttons by them; the services check them) ---------------


def can_change_contest(contest: Contest) -> bool:
    return contest.status in LIVE_CONTEST


def can_publish_contest(contest: Contest) -> bool:
    return contest.status == c.ContestStatus.DRAFT


def can_finish_contest(contest: Contest) -> bool:
    return contest.status == c.ContestStatus.PUBLISHED


def can_add_round(contest: Contest) -> bool:
    return contest.status in LIVE_CONTEST


def can_change_round(round_: ContestRound) -> bool:
    return round_.status in EDITABLE_ROUND and round_.contest.status in LIVE_CONTEST


def can_open_round(round_: ContestRound) -> bool:
    return round_.status == c.RoundStatus.READY and round_.contest.status == (
        c.ContestStatus.PUBLISHED
    )


def can_close_round(round_: ContestRound) -> bool:
    return round_.status == c.RoundStatus.OPEN


def can_judge(attempt: Attempt) -> bool:
    return not attempt.practice and attempt.round.status in JUDGED_ROUND and attempt.status in (
        *c.COUNTED_ATTEMPT_STATUSES, c.AttemptStatus.EXCLUDED,
    )  # fmt: skip


# --- contests ---------------------------------------------------------------------------


def _check_organizer_unit(region, organizer) -> None:
    if organizer is not None and not organizer.region.path.startswith(region.path):
        raise DomainError({"organizer": [_("Choose a unit within the organizing region.")]})


@transaction.atomic
def public_changed(round_id: int | None = None) -> None:
    """What the public sees changed: the contests' public pages (and a round's cached
    leaderboard and results) are made anew on their next request."""
    publiccache.bump(PUBLIC_TAG, *([rankings.tag(round_id)] if round_id else []))


def create_contest(*, actor, region, **fields) -> Contest:
    """A draft contest of `region` (within the actor's scope)."""
    require_region(actor, Contest, "create", region)
    _check_organizer_unit(region, fields.get("organizer"))
    contest = Contest(region=region, created_by=actor, **fields)
    contest.full_clean(exclude=["created_by"])  # None: made by the system
    contest.save()
    audit.created(contest, actor=actor)
    return contest


def _locked_contest(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().select_related("region").get(pk=contest.pk)


@transaction.atomic
def change_contest(contest: Contest, *, actor, **fields) -> Contest:
    """Change a draft or published contest. A changed notice gets a new version (the
    consent of later registrations names it)."""
    contest = _locked_contest(contest)
    if not can_change_contest(contest):
        raise StateConflict(_("A finished or cancelled contest can no longer change."))
    scope.check(actor, contest, "change")
    region = fields.get("region", contest.region)
    if region.pk != contest.region_id:
        if contest.status != c.ContestStatus.DRAFT:
            raise DomainError(
                {"region": [_("The organizing region of a published contest is fixed.")]}
            )
        require_region(actor, Contest, "create", region)
    _check_organizer_unit(region, fields.get("organizer", contest.organizer))
    before = audit.snapshot(contest)
    old_notice = contest.notice
    for name, value in fields.items():
        if name in CONTEST_FIELDS:
            setattr(contest, name, value)
    if contest.notice != old_notice:
        contest.notice_version += 1
    contest.changed_at = clock.now()
    contest.full_clean(exclude=["created_by"])  # None: made by the system
    contest.save()
    changes = audit.diff(before, audit.snapshot(contest))
    if changes or contest.notice != old_notice:
        public_changed()
        audit.record("contests.contest.changed", obj=contest, actor=actor, changes=changes,
                     detail={"notice_version": contest.notice_version})  # fmt: skip
    return contest


def _set_contest_status(contest, *, actor, status, code, detail=None) -> Contest:
    before = audit.snapshot(contest)
    contest.status = status
    contest.changed_at = clock.now()
    contest.save(update_fields=["status", "changed_at"])
    changes = audit.diff(before, audit.snapshot(contest))
    public_changed()
    audit.record(code, obj=contest, actor=actor, changes=changes, detail=detail)
    return contest


@transaction.atomic
def publish_contest(contest: Contest, *, actor) -> Contest:
    """Draft → published: the contest is public; needs a round with its questions drawn."""
    contest = _locked_contest(contest)
    if not can_publish_contest(contest):
        raise StateConflict(_("This contest has already been published."))
    scope.check(actor, contest, "publish")
    if not contest.rounds.filter(drawn_at__isnull=False).exists():
        raise DomainError(_("Add a round and draw its questions before publishing the contest."))
    return _set_contest_status(contest, actor=actor, status=c.ContestStatus.PUBLISHED,
                               code="contests.contest.published")  # fmt: skip


def _no_open_round(contest: Contest) -> None:
    if contest.rounds.filter(status=c.RoundStatus.OPEN).exists():
        raise DomainError(_("A round of this contest is still open: close it first."))


@transaction.atomic
def finish_contest(contest: Contest, *, actor) -> Contest:
    """Published → finished (every round closed)."""
    contest = _locked_contest(contest)
    if not can_finish_contest(contest):
        raise StateConflict(_("Only a published contest can be finished."))
    scope.check(actor, contest, "change")
    _no_open_round(contest)
    return _set_contest_status(contest, actor=actor, status=c.ContestStatus.FINISHED,
                               code="contests.contest.finished")  # fmt: skip


@transaction.atomic
def cancel_contest(contest: Contest, *, actor, reason: str) -> Contest:
    """Draft or published → cancelled, with the reason (no round may be open)."""
    contest = _locked_contest(contest)
    if not can_change_contest(contest):
        raise StateConflict(_("A finished or cancelled contest cannot be cancelled."))
    scope.check(actor, contest, "change")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": [_("Give the reason for cancelling the contest.")]})
    _no_open_round(contest)
    return _set_contest_status(
        contest, actor=actor, status=c.ContestStatus.CANCELLED,
        code="contests.contest.cancelled", detail={"reason": reason[:300]},
    )  # fmt: skip


# --- rounds -----------------------------------------------------------------------------


def _within(region, top) -> bool:
    return region.path.startswith(top.path)


def _check_blueprint(instrument, blueprint, questions, errors) -> list:
    """The blueprint's rows, cleaned: [{"dimension", "difficulty", "count"}]."""
    dims = {d.code: d for d in Dimension.objects.filter(instrument=instrument)}
    rows, seen = [], set()
    for i, row in enumerate(blueprint or [], start=1):
        code = str(row.get("dimension") or "")
        difficulty = str(row.get("difficulty") or "")
        try:
            count = int(row.get("count") or 0)
        except (TypeError, ValueError):
            count = 0
        if code not in dims:
            errors.setdefault("blueprint", []).append(
                _("Row %(row)d: choose a dimension of the instrument.") % {"row": i}
            )
            continue
        if difficulty and difficulty not in lc.Difficulty.values:
            errors.setdefault("blueprint", []).append(
                _("Row %(row)d: choose a difficulty.") % {"row": i}
            )
            continue
        if count < 1:
            errors.setdefault("blueprint", []).append(
                _("Row %(row)d: draw at least one question.") % {"row": i}
            )
            continue
        if (code, difficulty) in seen:
            errors.setdefault("blueprint", []).append(
                _("Row %(row)d repeats a dimension and difficulty of an earlier row.") % {"row": i}
            )
            continue
        seen.add((code, difficulty))
        rows.append({"dimension": code, "difficulty": difficulty, "count": count})
    if not rows and "blueprint" not in errors:
        errors["blueprint"] = [_("Add at least one row to the blueprint.")]
    total = sum(r["count"] for r in rows)
    if rows and questions and total < questions:
        errors.setdefault("blueprint", []).append(
            _("The blueprint draws %(total)d questions, fewer than the %(n)d questions per "
              "attempt.") % {"total": total, "n": questions}
        )  # fmt: skip
    return rows


def _check_round(contest: Contest, fields: dict, regions, instance=None) -> dict:
    """The round's fields checked together; raises DomainError naming each field."""
    errors: dict = {}
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = [_("The round must close after it opens.")]
    fields["blueprint"] = _check_blueprint(
        fields["instrument"], fields.get("blueprint"), fields.get("questions"), errors
    )
    rule = fields.get("advancement") or c.Advancement.NONE
    if rule in (c.Advancement.TOP_N, c.Advancement.TOP_N_OVERALL):
        if not fields.get("advance_n"):
            errors["advance_n"] = [_("Give N: how many advance.")]
    else:
        fields["advance_n"] = None
    if rule == c.Advancement.TOP_N:
        level = fields.get("advance_level")
        allowed = [lv for lv in (RegionLevel.PREFECTURE, RegionLevel.COUNTY)
                   if lv > contest.region.level]  # fmt: skip
        if level not in allowed:
            errors["advance_level"] = [
                _(
                    "Choose the level of the regions whose top N advance (below the contest's "
                    "region)."
                )
            ]
    else:
        fields["advance_level"] = None
    if rule == c.Advancement.MIN_SCORE:
        score = fields.get("advance_score")
        total = (fields.get("questions") or 0) * (fields.get("points_per_question") or 0)
        if not score:
            errors["advance_score"] = [_("Give X: the score needed to advance.")]
        elif total and score > total:
            errors["advance_score"] = [
                _("X is more than the round's %(total)d points.") % {"total": total}
            ]
    else:
        fields["advance_score"] = None
    previous = fields.get("previous")
    if previous is not None:
        if previous.contest_id != contest.pk or (instance and previous.pk == instance.pk) or (
            instance and previous.position >= instance.position
        ):  # fmt: skip
            errors["previous"] = [_("Choose an earlier round of the same contest.")]
        elif opens and previous.closes_at > opens:
            errors["previous"] = [_("The previous round must close before this one opens.")]
    if any(not _within(r, contest.region) for r in regions):
        errors["regions"] = [_("Choose eligible regions within the contest's region.")]
    if errors:
        raise DomainError(errors)
    return fields


@transaction.atomic
def create_round(contest: Contest, *, actor, regions=(), **fields) -> ContestRound:
    """A draft round, last of the contest's rounds."""
    contest = _locked_contest(contest)
    if not can_add_round(contest):
        raise StateConflict(_("A finished or cancelled contest gets no new rounds."))
    scope.check(actor, contest, "change")
    regions = list(regions)
    fields = {k: v for k, v in fields.items() if k in ROUND_FIELDS}
    _check_round(contest, fields, regions)
    last = contest.rounds.order_by("-position").values_list("position", flat=True).first()
    round_ = ContestRound(contest=contest, position=(last or 0) + 1, **fields)
    round_.full_clean()
    round_.save()
    round_.regions.set(regions)
    audit.created(round_, actor=actor, detail={"regions": [r.code for r in regions]})
    return round_


def _locked_round(round_: ContestRound) -> ContestRound:
    return (
        ContestRound.objects.select_for_update()
        .select_related("contest", "contest__region")
        .get(pk=round_.pk)
    )


@transaction.atomic
def change_round(round_: ContestRound, *, actor, regions=(), **fields) -> ContestRound:
    """Change a round before it opens. A changed instrument or blueprint drops the drawn
    set (the round is a draft again until it is drawn anew)."""
    round_ = _locked_round(round_)
    if not can_change_round(round_):
        raise StateConflict(_("This round has opened: its settings can no longer change."))
    scope.check(actor, round_, "change")
    regions = list(regions)
    fields = {k: v for k, v in fields.items() if k in ROUND_FIELDS}
    _check_round(round_.contest, fields, regions, instance=round_)
    before = audit.snapshot(round_)
    old_regions = sorted(round_.regions.values_list("code", flat=True))
    redraw = (
        fields["instrument"].pk != round_.instrument_id or fields["blueprint"] != round_.blueprint
    )
    for name, value in fields.items():
        setattr(round_, name, value)
    if redraw and round_.drawn_at:
        RoundItem.objects.filter(round=round_).delete()
        round_.drawn_at = None
        round_.status = c.RoundStatus.DRAFT
    round_.changed_at = clock.now()
    round_.full_clean()
    round_.save()
    round_.regions.set(regions)
    new_regions = sorted(r.code for r in regions)
    changes = audit.diff(before, audit.snapshot(round_))
    if new_regions != old_regions:
        changes["regions"] = [old_regions, new_regions]
    if changes:
        public_changed(round_.pk)
        audit.record("contests.contestround.changed", obj=round_, actor=actor, changes=changes)
    return round_


def bank_items(round_: ContestRound):
    """The approved, scored items of the round's instrument in the banks of the contest's
    region and the regions above it (the province's bank serves a city's contest)."""
    regions = round_.contest.region.ancestors(include_self=True)
    return Item.objects.usable().filter(
        instrument_id=round_.instrument_id, region__in=regions, kind__in=lc.SCORED_ITEM_KINDS
    )


def _label(row: dict, names: dict) -> str:
    difficulty = (
        lc.Difficulty(row["difficulty"]).label if row["difficulty"] else _("any difficulty")
    )
    return f"{names.get(row['dimension'], row['dimension'])}, {difficulty}"


@transaction.atomic
def draw(round_: ContestRound, *, actor) -> int:
    """Draw the round's question set by its blueprint: per row, a random sample without
    replacement of the approved items of its dimension (and difficulty). Rows with a
    difficulty are filled first, so that an "any difficulty" row takes from what is left.
    Replaces an earlier draw; refused whole (nothing written) when a row cannot be filled.
    Returns the number of questions drawn."""
    round_ = _locked_round(round_)
    if not can_change_round(round_):
        raise StateConflict(_("The questions can be drawn only before the round opens."))
    scope.check(actor, round_, "draw")
    names = dict(
        Dimension.objects.filter(instrument_id=round_.instrument_id).values_list("code", "name")
    )
    pool: dict = {}
    for pk, dim, difficulty in bank_items(round_).values_list(
        "pk", "dimension__code", "difficulty"
    ):
        pool.setdefault(dim, []).append((pk, difficulty))
    rows = list(enumerate(round_.blueprint or [], start=1))
    if not rows:
        raise DomainError(_("Add at least one row to the blueprint."))
    rng = random.SystemRandom()  # seeded by the operating system (secrets)
    taken: set = set()
    picked: dict = {}
    short = []
    for number, row in sorted(rows, key=lambda nr: not nr[1].get("difficulty")):
        candidates = [
            pk for pk, difficulty in pool.get(row["dimension"], [])
            if pk not in taken and (not row["difficulty"] or difficulty == row["difficulty"])
        ]  # fmt: skip
        if len(candidates) < row["count"]:
            short.append(
                _("row %(row)d (%(what)s): %(need)d needed, %(have)d available")
                % {"row": number, "what": _label(row, names), "need": row["count"],
                   "have": len(candidates)}
            )  # fmt: skip
            continue
        picked[number] = rng.sample(candidates, row["count"])
        taken.update(picked[number])
    if short:
        raise DomainError(
            _("The bank cannot fill the blueprint: %(rows)s.") % {"rows": "; ".join(short)}
        )
    RoundItem.objects.filter(round=round_).delete()
    ordered = [pk for number, _row in rows for pk in picked[number]]
    RoundItem.objects.bulk_create(
        RoundItem(round=round_, item_id=pk, position=i) for i, pk in enumerate(ordered, start=1)
    )
    before = audit.snapshot(round_)
    round_.drawn_at = clock.now()
    round_.status = c.RoundStatus.READY
    round_.save(update_fields=["drawn_at", "status"])
    public_changed(round_.pk)
    audit.record(
        "contests.contestround.drawn", obj=round_, actor=actor,
        changes=audit.diff(before, audit.snapshot(round_)),
        detail={"questions": len(ordered), "rows": len(rows)},
    )  # fmt: skip
    return len(ordered)


@transaction.atomic
def open_round(round_: ContestRound, *, actor) -> ContestRound:
    """Ready → open: participants can start within the round's window."""
    round_ = _locked_round(round_)
    if round_.status != c.RoundStatus.READY:
        raise StateConflict(
            _("Only a round whose questions are drawn and that is not yet open can be opened.")
        )
    if round_.contest.status != c.ContestStatus.PUBLISHED:
        raise DomainError(_("Publish the contest before opening a round."))
    scope.check(actor, round_, "open")
    if round_.closes_at <= clock.now():
        raise DomainError(_("The round's window has already ended: change its closing time."))
    before = audit.snapshot(round_)
    round_.status = c.RoundStatus.OPEN
    round_.changed_at = clock.now()
    round_.save(update_fields=["status", "changed_at"])
    public_changed(round_.pk)
    audit.record("contests.contestround.opened", obj=round_, actor=actor,
                 changes=audit.diff(before, audit.snapshot(round_)))  # fmt: skip
    return round_


@transaction.atomic
def close_round(round_: ContestRound, *, actor) -> int:
    """Open → closed, and every attempt still in progress is scored with the answers it
    holds, as at the moment of closing. Refused for a round already closed (under the
    row lock, so two closes never both run). Returns the number of attempts scored here.

    The time limit of every attempt in progress ends now (one UPDATE: later answers are
    refused); up to `INLINE_SCORING` of them are scored in this transaction, any others
    by the `contests.expire_due` schedule within a minute (a close in the middle of a
    burst stays a short request)."""
    round_ = _locked_round(round_)
    if not can_close_round(round_):
        raise StateConflict(_("This round is not open: it cannot be closed."))
    scope.check(actor, round_, "close")
    now = clock.now()
    before = audit.snapshot(round_)
    round_.status = c.RoundStatus.CLOSED
    round_.closed_by = actor if actor is not None and actor.is_authenticated else None
    round_.changed_at = now
    round_.save(update_fields=["status", "closed_by", "changed_at"])
    in_progress = Attempt.objects.filter(round=round_, status=c.AttemptStatus.ACTIVE)
    in_progress.filter(deadline__gt=now).update(deadline=now)
    active = list(in_progress.order_by("pk").values_list("pk", flat=True)[: INLINE_SCORING + 1])
    for pk in active[:INLINE_SCORING]:
        taking.finish(Attempt(pk=pk), expired=True)
    left = in_progress.count() if len(active) > INLINE_SCORING else 0
    scored = min(len(active), INLINE_SCORING)
    public_changed(round_.pk)
    audit.record(
        "contests.contestround.closed", obj=round_, actor=actor,
        changes=audit.diff(before, audit.snapshot(round_)),
        detail={"scored": scored, "left_to_the_schedule": left},
    )  # fmt: skip
    return scored


def close_due(now=None) -> int:
    """Close every open round whose window has ended (the schedule); returns how many."""
    now = now or clock.now()
    due = list(
        ContestRound.objects.filter(status=c.RoundStatus.OPEN, closes_at__lte=now)
        .order_by("closes_at", "pk").values_list("pk", flat=True)
    )  # fmt: skip
    closed = 0
    for pk in due:
        try:
            close_round(ContestRound(pk=pk), actor=None)
        except StateConflict:  # closed by an officer meanwhile
            continue
        closed += 1
    return closed


# --- attempts and participants ----------------------------------------------------------


def _organizer(actor, round_or_contest, action="change") -> None:
    scope.check(actor, round_or_contest, action)


def _reason(reason: str, message) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": [message]})
    return reason[:200]


def _locked_attempt(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update()
        .select_related("round", "round__contest", "participant")
        .get(pk=attempt.pk)
    )


@transaction.atomic
def exclude_attempt(attempt: Attempt, *, actor, reason: str) -> Attempt:
    """Exclude a scored attempt from the ranking, with the reason the organizer sees;
    the participant's standing is computed again from their other attempts."""
    attempt = _locked_attempt(attempt)
    if attempt.status == c.AttemptStatus.EXCLUDED:
        raise StateConflict(_("This attempt is already excluded."))
    if not can_judge(attempt):
        raise StateConflict(
            _(
                "Only a scored attempt of a round whose results are not yet published can be "
                "excluded."
            )
        )
    _organizer(actor, attempt.round, "close")
    reason = _reason(reason, _("Give the reason for excluding the attempt."))
    before = audit.snapshot(attempt)
    attempt.status = c.AttemptStatus.EXCLUDED
    attempt.excluded_reason = reason
    attempt.excluded_by = actor if actor is not None and actor.is_authenticated else None
    attempt.save(update_fields=["status", "excluded_reason", "excluded_by"])
    changes = audit.diff(before, audit.snapshot(attempt))
    public_changed(attempt.round_id)
    audit.record("contests.attempt.excluded", obj=attempt, actor=actor, changes=changes,
                 detail={"reason": reason})  # fmt: skip
    taking.restand(attempt.round_id, attempt.participant_id)
    return attempt


@transaction.atomic
def restore_attempt(attempt: Attempt, *, actor, reason: str) -> Attempt:
    """Count an excluded attempt again (the organizer's reason is recorded)."""
    attempt = _locked_attempt(attempt)
    if attempt.status != c.AttemptStatus.EXCLUDED:
        raise StateConflict(_("Only an excluded attempt can be restored."))
    if not can_judge(attempt):
        raise StateConflict(
            _(
                "Only a scored attempt of a round whose results are not yet published can be "
                "restored."
            )
        )
    _organizer(actor, attempt.round, "close")
    reason = _reason(reason, _("Give the reason for restoring the attempt."))
    before = audit.snapshot(attempt)
    in_time = attempt.submitted_at is not None and attempt.submitted_at <= attempt.deadline
    attempt.status = c.AttemptStatus.SUBMITTED if in_time else c.AttemptStatus.EXPIRED
    attempt.excluded_reason = ""
    attempt.excluded_by = None
    attempt.save(update_fields=["status", "excluded_reason", "excluded_by"])
    changes = audit.diff(before, audit.snapshot(attempt))
    public_changed(attempt.round_id)
    audit.record("contests.attempt.restored", obj=attempt, actor=actor, changes=changes,
                 detail={"reason": reason})  # fmt: skip
    taking.restand(attempt.round_id, attempt.participant_id)
    return attempt


def reveal_phone(participant: Participant, *, actor, reason: str) -> str:
    """The participant's full mobile number, for the organizer, with a reason; the audit
    entry says who saw whose number and why (never the number)."""
    _organizer(actor, participant.contest, "change")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError({"reason": [_("Give the reason for viewing the full number.")]})
    phone = crypto.open_sealed(participant.phone_enc)
    audit.record("contests.participant.revealed", obj=participant, actor=actor,
                 detail={"fields": ["phone"], "reason": reason[:300]})  # fmt: skip
    return phone
