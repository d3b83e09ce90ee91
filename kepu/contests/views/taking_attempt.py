"""Taking a round: one question per page (options in the attempt's order), the summary
before the final submission, the submission and the result.

Without JavaScript each question is a form that posts its answer and goes on to the next
(post, redirect, get). With JavaScript the same page holds the whole paper, one
question shown at a time: answers are saved as the participant goes through the JSON
endpoint (`taking_answers.py`) and moving between questions needs no page load. The
countdown shows the server's deadline; when it runs out the page submits."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kepu.contests import choices as c
from kepu.contests.services import paper as papers
from kepu.contests.services import prizes, rankings, taking
from kepu.contests.views import taking_common as tc
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.literacy import choices as lc

LETTERS = "ABCDEFGHIJ"


def _ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def paper_rows(paper, answers: dict) -> list[dict]:
    """The paper as the templates show it: each question with its options in the
    attempt's order, what was chosen, and (for the result) what was right."""
    rows = []
    for position in range(1, len(paper) + 1):
        question, order = paper.at(position)
        given = (answers or {}).get(str(position), "")
        options = [
            {
                "index": index, "text": text, "chosen": key in given, "right": key in question.key,
                "label": "" if question.kind == lc.ItemKind.TRUE_FALSE else LETTERS[index],
            }
            for index, key, text in question.shown(order)
        ]  # fmt: skip
        rows.append({
            "position": position, "item": question.item, "stem": question.stem,
            "multiple": question.kind == lc.ItemKind.MULTIPLE, "options": options,
            "answered": bool(given), "right": bool(given) and question.slot.is_right(given),
            "explanation": question.explanation,
        })  # fmt: skip
    return rows


def _active(request, round_):
    """(attempt, None) for the browser's attempt in progress, else (None, a redirect)."""
    attempt = tc.attempt_of(request, round_)
    if attempt is None:
        messages.error(request, _("Start the round from its page to answer its questions."))
        return None, redirect("contests:public_round", pk=round_.pk)
    if attempt.status != c.AttemptStatus.ACTIVE:
        return None, redirect("contests:attempt_result", pk=round_.pk)
    return attempt, None


def _timing(attempt) -> dict:
    """The server's deadline and time (the page's countdown shows the difference; the
    server alone decides what is late)."""
    now = clock.now()
    left = max(0, int((attempt.deadline - now).total_seconds()))
    return {
        "deadline_ms": _ms(attempt.deadline), "now_ms": _ms(now),
        "left": f"{left // 60:02d}:{left % 60:02d}",
    }  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def question(request, pk, position):
    round_ = tc.get_public_round(pk)
    attempt, away = _active(request, round_)
    if away is not None:
        return away
    paper = papers.paper(round_, attempt.seed)
    if not 1 <= position <= len(paper):
        return redirect("contests:attempt_question", pk=round_.pk, position=1)
    if request.method == "POST":
        return _answer(request, round_, attempt, paper, position)
    if clock.now() > attempt.deadline + taking.GRACE:
        return redirect("contests:attempt_summary", pk=round_.pk)
    return tc.public_response(
        render(
            request,
            "contests/taking/question.html",
            {
                "round": round_,
                "contest": round_.contest,
                "attempt": attempt,
                "rows": paper_rows(paper, attempt.answers),
                "current": position,
                "total": len(paper),
                **_timing(attempt),
            },
        )  # fmt: skip
    )


def _answer(request, round_, attempt, paper, position):
    """The form's post without JavaScript: store the answer (if one was chosen), then go
    to the question asked for (next, previous) or to the summary."""
    chosen = request.POST.getlist("choice")
    if chosen:
        try:
            if not taking.round_is_open(round_):
                raise StateConflict(_("This round is not open now."))
            item = int(request.POST.get("item", ""))
            taking.save_answers(
                tc.attempt_token_of(request, round_), round_, [(position, item, chosen)]
            )
        except ValueError:
            messages.error(request, _("This question is not part of your paper."))
            return redirect("contests:attempt_question", pk=round_.pk, position=position)
        except StateConflict as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("contests:attempt_summary", pk=round_.pk)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("contests:attempt_question", pk=round_.pk, position=position)
    go = request.POST.get("go", "next")
    if go == "prev" and position > 1:
        return redirect("contests:attempt_question", pk=round_.pk, position=position - 1)
    if go == "summary" or (go == "next" and position >= len(paper)):
        return redirect("contests:attempt_summary", pk=round_.pk)
    target = position + 1 if go == "next" else position
    return redirect("contests:attempt_question", pk=round_.pk, position=target)


@never_cache
@require_safe
def summary(request, pk):
    round_ = tc.get_public_round(pk)
    attempt, away = _active(request, round_)
    if away is not None:
        return away
    rows = paper_rows(papers.paper(round_, attempt.seed), attempt.answers)
    return tc.public_response(
        render(
            request,
            "contests/taking/summary.html",
            {
                "round": round_,
                "contest": round_.contest,
                "attempt": attempt,
                "rows": rows,
                "open": [r["position"] for r in rows if not r["answered"]],
                "time_up": clock.now() > attempt.deadline,
                **_timing(attempt),
            },
        )  # fmt: skip
    )


@require_POST
def submit(request, pk):
    """The final submission. Idempotent in the service: a replay (a double tap, the
    countdown and the button together) shows the same result, counted once."""
    round_ = tc.get_public_round(pk)
    held = tc.attempt_of(request, round_)
    if held is not None and held.status != c.AttemptStatus.ACTIVE:
        messages.info(request, _("Your answers were submitted already; they count once."))
        return redirect("contests:attempt_result", pk=round_.pk)
    try:
        taking.submit(tc.attempt_token_of(request, round_), round_)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("contests:public_round", pk=round_.pk)
    return redirect("contests:attempt_result", pk=round_.pk)


@never_cache
@require_safe
def result(request, pk):
    """The attempt's result; its paper with the right answers and explanations once the
    round is closed (at once for a practice attempt)."""
    round_ = tc.get_public_round(pk)
    attempt = tc.attempt_of(request, round_)
    if attempt is None:
        participant = tc.participant_of(request, round_.contest)
        attempt = tc.last_attempt(request, round_, participant)
    if attempt is None:
        messages.info(request, _("You have not taken this round yet."))
        return redirect("contests:public_round", pk=round_.pk)
    if attempt.status == c.AttemptStatus.ACTIVE:
        return redirect("contests:attempt_summary", pk=round_.pk)
    explain = attempt.practice or round_.status in (c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED)
    paper = papers.paper(round_, attempt.seed)
    flags = [c.Flag(f).label for f in attempt.flags or [] if f in c.Flag.values]
    counted = not attempt.practice and attempt.status in c.COUNTED_ATTEMPT_STATUSES
    mine = rankings.my_rank(round_, attempt.participant) if counted else None
    return tc.public_response(
        render(
            request,
            "contests/taking/result.html",
            {
                "round": round_,
                "contest": round_.contest,
                "attempt": attempt,
                "total_points": len(paper) * round_.points_per_question,
                "count": len(paper),
                "seconds": round((attempt.time_used_ms or 0) / 1000),
                "flags": flags,
                "explain": explain,
                "rows": paper_rows(paper, attempt.answers) if explain else [],
                "round_url": reverse("contests:public_round", args=[round_.pk]),
                # The rank (one indexed count) and, once the results are published, the
                # participation certificate, and the prize certificate of a final prize.
                "mine": mine,
                "certificate": mine is not None and round_.status == c.RoundStatus.PUBLISHED,
                "prize": mine is not None
                and round_.status == c.RoundStatus.PUBLISHED
                and prizes.final_prize_of(round_, attempt.participant_id) is not None,
            },
        )  # fmt: skip
    )
