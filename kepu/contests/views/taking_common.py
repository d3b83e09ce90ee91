"""What the participants' pages share: the cookies that carry a participant, an attempt
and a device (no session: a burst of anonymous participants must not write one), and
the lookups behind them.

- participant: `kepu_cp<contest>`, the signed `taking.participant_token`, for the
  contest's span;
- attempt: `kepu_ca<round>`, the signed `taking.attempt_token` of the attempt in
  progress. A dropped connection or a reopened page finds the same attempt through it;
  starting again (a double tap, another tab) resumes the same attempt;
- device: `kepu_contest_device`, a random id set once, keyed per round into the
  attempt's `device` (the shared-device flag).

All three are HttpOnly, SameSite=Lax and limited to `/contests/`."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db.models import Max
from django.http import Http404

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, Participant
from kepu.contests.services import taking
from kepu.contests.services.taking_cache import public_round
from kepu.core import clock
from kepu.core.errors import DomainError

COOKIE_PATH = "/contests/"
DEVICE_COOKIE = "kepu_contest_device"
DEVICE_SALT = "kepu.contests.device"
AFTER_CLOSE = datetime.timedelta(days=90)  # results and certificates are looked at later


def participant_cookie(contest_id: int) -> str:
    return f"kepu_cp{contest_id}"


def attempt_cookie(round_id: int) -> str:
    return f"kepu_ca{round_id}"


def _set(response, name, value, max_age):
    response.set_cookie(
        name, value, max_age=max(60, int(max_age)), path=COOKIE_PATH, httponly=True,
        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def get_public_contest(pk: int) -> Contest:
    contest = (
        Contest.objects.with_relations().filter(pk=pk, status__in=c.PUBLIC_CONTEST_STATUSES).first()
    )
    if contest is None:
        raise Http404
    return contest


def get_public_round(pk: int):
    """A round of a published contest, once it is announced (not a draft)."""
    round_ = public_round(pk)
    if round_ is None or round_.status == c.RoundStatus.DRAFT:
        raise Http404
    return round_


def participant_of(request, contest: Contest) -> Participant | None:
    """The participant this browser registered (its cookie), else the signed-in
    person's participant in this contest."""
    token = request.COOKIES.get(participant_cookie(contest.pk))
    participant = taking.read_participant_token(token, contest) if token else None
    if participant is None and request.user.is_authenticated:
        person = getattr(request.user, "person", None)
        if person is not None:
            participant = (
                Participant.objects.filter(contest=contest, person=person)
                .select_related("region").first()
            )  # fmt: skip
    return participant


def remember_participant(response, participant: Participant) -> None:
    last = participant.contest.rounds.aggregate(last=Max("closes_at"))["last"]
    span = (last or clock.now()) + AFTER_CLOSE - clock.now()
    _set(response, participant_cookie(participant.contest_id),
         taking.participant_token(participant), span.total_seconds())  # fmt: skip


def remember_attempt(response, attempt: Attempt) -> None:
    span = attempt.deadline + AFTER_CLOSE - clock.now()
    _set(response, attempt_cookie(attempt.round_id), taking.attempt_token(attempt),
         span.total_seconds())  # fmt: skip


def attempt_token_of(request, round_) -> str:
    return request.COOKIES.get(attempt_cookie(round_.pk), "")


def attempt_of(request, round_) -> Attempt | None:
    """The attempt this browser holds for the round (its cookie), or None."""
    token = attempt_token_of(request, round_)
    if not token:
        return None
    try:
        pk, round_id, _seed, _started = taking.read_attempt_token(token)
    except DomainError:
        return None
    if round_id != round_.pk:
        return None
    return Attempt.objects.filter(pk=pk, round=round_).first()


def last_attempt(request, round_, participant) -> Attempt | None:
    """The browser's attempt, else the participant's latest one at this round (a result
    looked up from another phone)."""
    attempt = attempt_of(request, round_)
    if attempt is None and participant is not None:
        attempt = (
            Attempt.objects.filter(round=round_, participant=participant)
            .order_by("-started_at", "-pk").first()
        )  # fmt: skip
    return attempt


def device_of(request, round_) -> tuple[str, str | None]:
    """(the device's key for this round, a new cookie value to set or None)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    new = None
    if not value:
        value = new = secrets.token_urlsafe(18)
    return taking.device_key(round_, value), new


def remember_device(response, value: str | None) -> None:
    if value:
        response.set_signed_cookie(
            DEVICE_COOKIE, value, salt=DEVICE_SALT, max_age=400 * 86400, path=COOKIE_PATH,
            httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip


def public_response(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
