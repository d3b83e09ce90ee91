"""The public contest pages (no login): the list of published contests, a contest's
page with its rounds, registration, a round's page and starting (or resuming) an
attempt. The questions, the answers and the result are in `taking_attempt.py`, the
JSON save of answers in `taking_answers.py`."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound
from kepu.contests.services import paper as papers
from kepu.contests.services import taking
from kepu.contests.services.taking_cache import PUBLIC_TAG
from kepu.contests.views import taking_common as tc
from kepu.contests.views.taking_forms import JoinForm
from kepu.core import clock, crypto, ratelimit
from kepu.core.errors import DomainError
from kepu.core.publiccache import public_page
from kepu.core.views.common import form_page, submit_form

JOIN_LIMIT = 120  # registrations per address and hour (a school or a village shares one)


def round_phase(round_: ContestRound, now) -> str:
    """Where a round stands for the public: upcoming, open, closed or published."""
    if round_.status == c.RoundStatus.PUBLISHED:
        return "published"
    if taking.round_is_open(round_, now):
        return "open"
    if round_.status == c.RoundStatus.CLOSED or round_.closes_at <= now:
        return "closed"
    return "upcoming"


def _public_rounds():
    return ContestRound.objects.exclude(status=c.RoundStatus.DRAFT).order_by("position", "pk")


def _mark(rounds, now):
    for r in rounds:
        r.phase = round_phase(r, now)
    return rounds


@require_safe
@public_page(PUBLIC_TAG, fresh=15)
def contest_list(request):
    """Published contests, those with a round open or to come first."""
    now = clock.now()
    contests = list(
        Contest.objects.with_relations()
        .filter(status__in=c.PUBLIC_CONTEST_STATUSES)
        .prefetch_related(Prefetch("rounds", queryset=_public_rounds(), to_attr="shown"))
        .order_by("-year", "-pk")[:50]
    )
    for contest in contests:
        _mark(contest.shown, now)
        contest.current = any(r.phase in ("open", "upcoming") for r in contest.shown)
    contests.sort(key=lambda x: not x.current)  # stable: the year order stays within each
    return tc.public_response(
        render(request, "contests/taking/contest_list.html", {"contests": contests})
    )


@never_cache
@require_safe
def contest_detail(request, pk):
    contest = tc.get_public_contest(pk)
    now = clock.now()
    rounds = _mark(list(_public_rounds().filter(contest=contest)), now)
    participant = tc.participant_of(request, contest)
    if participant is not None:
        mine = {}
        for a in Attempt.objects.filter(round__in=rounds, participant=participant).order_by(
            "started_at", "pk"
        ):
            mine.setdefault(a.round_id, []).append(a)
        for r in rounds:
            r.mine = mine.get(r.pk, [])
            r.active = next((a for a in r.mine if a.status == c.AttemptStatus.ACTIVE), None)
            r.used = sum(1 for a in r.mine if not a.practice)
    return tc.public_response(
        render(
            request,
            "contests/taking/contest_detail.html",
            {"contest": contest, "rounds": rounds, "participant": participant},
        )
    )


def _person_of(user):
    return getattr(user, "person", None) if user.is_authenticated else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request, pk):
    contest = tc.get_public_contest(pk)
    person = _person_of(request.user)
    participant = tc.participant_of(request, contest)
    if participant is not None and request.method != "POST":
        messages.info(request, _("You are registered for this contest."))
        return redirect("contests:public_contest_detail", pk=contest.pk)
    form = JoinForm(
        request.POST if request.method == "POST" else None, contest=contest, person=person
    )
    if request.method == "POST" and not ratelimit.allow(
        request, "contest-join", limit=JOIN_LIMIT, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)
    made = {}

    def run():
        data = form.cleaned_data
        phone = crypto.open_sealed(person.phone_enc) if form.has_person_phone else data["phone"]
        made["participant"], made["new"] = taking.register(
            contest, name=data["name"], phone=phone, region=form.chosen_region(),
            group=data["group"], unit=data["unit"], consent=data["consent"],
            person=person,
        )  # fmt: skip
        return made["participant"]

    done = submit_form(
        request, form, run, success=reverse("contests:public_contest_detail", args=[contest.pk])
    )
    if done is not None:
        if "participant" in made:
            messages.success(
                request,
                _("You are registered. Start a round when it is open.")
                if made["new"] else _("Welcome back: you were already registered."),
            )  # fmt: skip
            tc.remember_participant(done, made["participant"])
        return tc.public_response(done)
    return tc.public_response(
        form_page(
            request,
            "contests/taking/join.html",
            form,
            {"contest": contest, "city_select": "city" in form.fields},
        )  # fmt: skip
    )


@never_cache
@require_safe
def round_page(request, pk):
    """A round's page; with an attempt in progress, the way back into it (a dropped
    connection or a closed tab resumes the same attempt)."""
    round_ = tc.get_public_round(pk)
    attempt = tc.attempt_of(request, round_)
    if attempt is not None and attempt.status == c.AttemptStatus.ACTIVE:
        return redirect(
            "contests:attempt_question", pk=round_.pk, position=_first_open(round_, attempt)
        )
    participant = tc.participant_of(request, round_.contest)
    attempt = tc.last_attempt(request, round_, participant)
    used = (
        Attempt.objects.filter(round=round_, participant=participant, practice=False).count()
        if participant is not None else 0
    )  # fmt: skip
    round_.phase = round_phase(round_, clock.now())
    return tc.public_response(
        render(
            request,
            "contests/taking/round.html",
            {
                "round": round_,
                "contest": round_.contest,
                "participant": participant,
                "attempt": attempt,
                "used": used,
                "can_start": participant is not None
                and round_.phase == "open"
                and used < round_.attempts_allowed,
            },
        )  # fmt: skip
    )


def _first_open(round_, attempt) -> int:
    """The first question without an answer (the last one when all are answered)."""
    count = len(papers.paper(round_, attempt.seed))
    answered = attempt.answers or {}
    return next((p for p in range(1, count + 1) if str(p) not in answered), count)


@require_POST
def round_start(request, pk):
    """Start or resume (`practice=1`: a practice attempt). Not behind the form-token
    guard on purpose: the service resumes the active attempt, so a double tap or a retry
    is the same attempt, and whichever answer the browser keeps sets its cookie."""
    round_ = tc.get_public_round(pk)
    participant = tc.participant_of(request, round_.contest)
    if participant is None:
        messages.error(request, _("Register for the contest first, then start the round."))
        return redirect("contests:participant_join", pk=round_.contest_id)
    practice = request.POST.get("practice") == "1"
    device, new_device = tc.device_of(request, round_)
    try:
        attempt, _created = taking.start(round_, participant, device=device, practice=practice)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("contests:public_round", pk=round_.pk)
    response = redirect(
        "contests:attempt_question", pk=round_.pk, position=_first_open(round_, attempt)
    )
    tc.remember_attempt(response, attempt)
    tc.remember_device(response, new_device)
    return response
