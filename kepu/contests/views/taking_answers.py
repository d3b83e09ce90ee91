"""The JSON endpoint that saves answers as the participant goes: the burst's hot path.

It does nothing but read the body, check the round (from the per-process cache) and
call `taking.save_answers` (one UPDATE of the attempt's own row): no session (the
attempt is named by its signed cookie), no audit entry (the attempt row is the record,
see `services/taking.py`), no other query.

Body: {"answers": [{"position": 3, "item": 812, "choice": [1]}]} (choice: the indexes of
the options as shown). Answer: {"stored": n}, or {"error": "…"} with 400 (the input is
refused: a question not on the paper, an option not shown, a bad attempt) or 409 (the
time is up, the attempt is submitted, the round is not open)."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kepu.contests.services import taking
from kepu.contests.services.taking_cache import public_round
from kepu.contests.views.taking_common import attempt_token_of
from kepu.core.errors import DomainError, StateConflict

MAX_BODY = 16 * 1024
MAX_ANSWERS = 100


def _refuse(message, status):
    return JsonResponse({"error": str(message)}, status=status)


def _parse(body: bytes) -> list[tuple[int, int, list]]:
    data = json.loads(body)
    rows = data["answers"]
    if not isinstance(rows, list) or not 0 < len(rows) <= MAX_ANSWERS:
        raise ValueError
    out = []
    for row in rows:
        choice = row["choice"]
        if not isinstance(choice, list) or len(choice) > 10:
            raise ValueError
        out.append((int(row["position"]), int(row["item"]), choice))
    return out


@never_cache
@require_POST
def save_answers(request, pk):
    round_ = public_round(pk)
    if round_ is None:
        return _refuse(_("This contest round does not exist."), 404)
    if not taking.round_is_open(round_):
        return _refuse(_("This round is not open now."), 409)
    if len(request.body) > MAX_BODY:
        return _refuse(_("The answers could not be read."), 400)
    try:
        given = _parse(request.body)
    except (ValueError, KeyError, TypeError, AttributeError):
        return _refuse(_("The answers could not be read."), 400)
    try:
        stored = taking.save_answers(attempt_token_of(request, round_), round_, given)
    except StateConflict as exc:
        return _refuse(" ".join(exc.messages), 409)
    except DomainError as exc:
        return _refuse(" ".join(exc.messages), 400)
    return JsonResponse({"stored": stored})
