"""A knowledge contest's round under a burst (issue 21): the data the load needs and the
count of what it stored, run against the bench database in a process of its own.

    python -m bench.contest_burst prepare RUN COUNT FILE   # -> {"round", paths, ...}
    python -m bench.contest_burst saves ROUND STARTED FILE # -> {"lines", "attempts"}
    python -m bench.contest_burst count ROUND SAVED        # -> {"attempts", ...}

`prepare` opens a round of its own on the dataset's contest (1,000,000 participants at
province scale; `kepu/contests/dataset.py`): 20 questions of the preliminary round's
drawn set, half an hour each attempt, one attempt per person, opened a minute ago; and
writes COUNT lines of participants who have not taken it, each with the participant
cookie the contest's registration sets (signed with the server's key) and a device
cookie of its own (a new phone each). `saves` reads the attempt cookies the start phase
was answered with and writes one line per question of each attempt, the answer to it as
the page posts it (JSON: position, item, the index of the option shown), question 1 of
every attempt first, then question 2, ... (each phone answers in turn). `count` reads
the round back: attempts, participants with more than one, the answers stored, and the
acknowledged answers (from the save phase's file of "attempt position" lines) that are
missing."""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
from pathlib import Path

CSRF = "c" * 32


def prepare(run: str, count: str, path: str) -> dict:
    from django.core import signing
    from django.urls import reverse

    from kepu.contests import choices as c
    from kepu.contests import dataset
    from kepu.contests.models import Attempt, Contest, ContestRound, Participant, RoundItem
    from kepu.contests.services import taking
    from kepu.contests.views import taking_common as tc
    from kepu.core import clock

    contest = Contest.objects.filter(title=dataset.TITLE).order_by("pk").first()
    if contest is None:
        raise SystemExit("the bench database has no contest: generate the dataset again")
    first = contest.rounds.order_by("position", "pk").first()
    now = clock.now()
    round_ = ContestRound.objects.create(
        contest=contest, stage=c.Stage.PRELIMINARY, title=f"压测轮次 {run}",
        position=100 + contest.rounds.count(), opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1), instrument=first.instrument,
        questions=20, points_per_question=5, time_limit=1800, min_seconds=2,
        attempts_allowed=1, practice=False, status=c.RoundStatus.OPEN, drawn_at=now,
    )  # fmt: skip
    RoundItem.objects.bulk_create(
        RoundItem(round=round_, item_id=ri.item_id, position=ri.position)
        for ri in first.set_items.order_by("position")
    )
    taken = Attempt.objects.filter(round=round_).values("participant_id")
    ids = list(
        Participant.objects.filter(contest=contest).exclude(pk__in=taken)
        .order_by("?").values_list("pk", flat=True)[: int(count)]
    )  # fmt: skip
    signer = signing.get_cookie_signer(salt=tc.DEVICE_COOKIE + tc.DEVICE_SALT)
    rng = random.Random(run)  # noqa: S311 (test data)
    with open(path, "w") as out:
        for pk in ids:
            token = taking.participant_token(Participant(pk=pk, contest_id=contest.pk))
            device = signer.sign(f"bench{run}-{pk}-{rng.randrange(10**9)}")
            out.write(f"{tc.participant_cookie(contest.pk)}={token}; {tc.DEVICE_COOKIE}={device}\n")
    args = [round_.pk]
    return {
        "round": round_.pk, "contest": contest.pk, "participants": len(ids),
        "start": reverse("contests:attempt_start", args=args),
        "answers": reverse("contests:attempt_answers", args=args),
        "submit": reverse("contests:attempt_submit", args=args),
        "leaderboard": reverse("contests:leaderboard", args=args),
        "finished_leaderboard": reverse("contests:leaderboard", args=[first.pk]),
    }  # fmt: skip


def saves(round_pk: str, started: str, path: str) -> dict:
    """One line per question of each started attempt ("cookie<TAB>json"), and beside it
    `path + ".keys"`: "attempt position" per line, for `count`."""
    from kepu.contests.models import ContestRound
    from kepu.contests.services import paper as papers
    from kepu.contests.services import taking

    round_ = ContestRound.objects.get(pk=int(round_pk))
    attempts = []
    for entry in json.loads(Path(started).read_text()):
        _number, cookie = entry.split("=", 1)
        token = cookie.split("=", 1)[1]
        pk, _round, seed, _started = taking.read_attempt_token(token)
        attempts.append((pk, cookie, papers.paper(round_, seed)))
    rng = random.Random(round_pk)  # noqa: S311 (test data)
    lines = 0
    with open(path, "w") as out, open(path + ".keys", "w") as keys:
        for position in range(1, round_.questions + 1):
            for pk, cookie, paper in attempts:
                question, order = paper.at(position)
                right = [i for i, key in enumerate(order) if key in question.key]
                choice = right if right and rng.random() < 0.7 else [rng.randrange(len(order))]
                body = {"answers": [{"position": position, "item": question.item,
                                     "choice": choice}]}  # fmt: skip
                out.write(f"{cookie}\t{json.dumps(body)}\n")
                keys.write(f"{pk} {position}\n")
                lines += 1
    with open(path + ".submit", "w") as out:
        for _pk, cookie, _paper in attempts:
            out.write(f"{cookie}\n")
    return {"lines": lines, "attempts": len(attempts)}


def count(round_pk: str, saved: str) -> dict:
    """What the round holds, and the acknowledged answers it lacks (`saved`: a JSON file
    with the save phase's acknowledged line numbers and the keys file's path)."""
    from django.db.models import Count

    from kepu.contests import choices as c
    from kepu.contests.models import Attempt

    attempts = Attempt.objects.filter(round_id=int(round_pk))
    stored = {pk: set(answers) for pk, answers in attempts.values_list("pk", "answers")}
    twice = attempts.values("participant_id").annotate(n=Count("id")).filter(n__gt=1).count()
    lost = 0
    acked = 0
    if saved and os.path.exists(saved):
        data = json.loads(Path(saved).read_text())
        wanted = set(data["acked"])
        with open(data["keys"]) as keys:
            for number, line in enumerate(keys, start=1):
                if number in wanted:
                    acked += 1
                    pk, position = line.split()
                    if position not in stored.get(int(pk), ()):
                        lost += 1
    return {
        "attempts": len(stored), "participants_twice": twice,
        "answers": sum(len(v) for v in stored.values()), "acked_answers": acked,
        "lost_answers": lost,
        "submitted": attempts.exclude(status=c.AttemptStatus.ACTIVE).count(),
    }  # fmt: skip


def main(what: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    result = {"prepare": prepare, "saves": saves, "count": count}[what](*args)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
