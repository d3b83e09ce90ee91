"""The database's side of a contest burst (issue 21), in-process on the bench database:
how many answers a second PostgreSQL stores

- one committed UPDATE per answer, as `kepu.contests.services.taking.save_answers` does
  (the JSON merge on the attempt's own row), from 1 and from 8 connections;
- batched: 1,000 answers per statement (`UPDATE … FROM jsonb_to_recordset`), the write a
  queue-fed writer would make when answers are buffered (in Redis) on their way in.

These are the figures behind the design for 5,000 answers a second on several app
servers (the closing note of issue 21 and bench/README.md): the app servers' CPU per
answer comes from the HTTP burst, the database's capacity from here.

A scratch round of the dataset's contest with ATTEMPTS active attempts is made for the
measurement and deleted afterwards."""

from __future__ import annotations

import datetime
import json
import threading
import time

ATTEMPTS = 4_000
ANSWERS = 5  # per attempt and pass
THREADS = 8
BATCH = 1_000


def _scratch():
    from kepu.contests import choices as c
    from kepu.contests import dataset
    from kepu.contests.models import Attempt, Contest, ContestRound, Participant
    from kepu.core import clock

    contest = Contest.objects.filter(title=dataset.TITLE).order_by("pk").first()
    if contest is None:
        return None, []
    first = contest.rounds.order_by("position", "pk").first()
    now = clock.now()
    round_ = ContestRound.objects.create(
        contest=contest, stage=c.Stage.PRELIMINARY, title="写入测量（临时）", position=999,
        opens_at=now, closes_at=now + datetime.timedelta(hours=1), instrument=first.instrument,
        status=c.RoundStatus.OPEN, drawn_at=now, time_limit=3600,
    )  # fmt: skip
    people = Participant.objects.filter(contest=contest).values_list("pk", "region_id")
    Attempt.objects.bulk_create(
        Attempt(
            round=round_,
            participant_id=pk,
            region_id=region,
            number=1,
            seed=pk,
            started_at=now,
            deadline=now + datetime.timedelta(hours=1),
        )  # fmt: skip
        for pk, region in people[:ATTEMPTS]
    )
    return round_, list(Attempt.objects.filter(round=round_).values_list("pk", flat=True))


def _single(ids: list[int], first_position: int) -> None:
    from django.db import connection

    from kepu.contests.services.taking import _merge_sql

    sql = _merge_sql()
    far = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        for position in range(first_position, first_position + ANSWERS):
            for pk in ids:
                cursor.execute(
                    sql, [json.dumps({str(position): "A"}), json.dumps({str(position): 1}), pk, far]
                )
    connection.close()


def _rate(fn, answers: int) -> float:
    started = time.perf_counter()
    fn()
    return answers / (time.perf_counter() - started)


def _threads(ids: list[int], first_position: int) -> None:
    parts = [ids[k::THREADS] for k in range(THREADS)]
    workers = [threading.Thread(target=_single, args=(part, first_position)) for part in parts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _batched(ids: list[int], first_position: int) -> None:
    from django.db import connection

    from kepu.contests.models import Attempt

    table = Attempt._meta.db_table
    sql = (
        f"UPDATE {table} AS a SET answers = a.answers || v.ans, times = v.tm || a.times "  # noqa: S608
        "FROM jsonb_to_recordset(%s::jsonb) AS v(id int, ans jsonb, tm jsonb) "
        "WHERE a.id = v.id AND a.status = 'active'"
    )
    rows = [
        {"id": pk, "ans": {str(p): "B"}, "tm": {str(p): 2}}
        for p in range(first_position, first_position + ANSWERS) for pk in ids
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for k in range(0, len(rows), BATCH):
            cursor.execute(sql, [json.dumps(rows[k : k + BATCH])])


def measure() -> dict:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"skipped": "PostgreSQL only"}
    round_, ids = _scratch()
    if round_ is None:
        return {"skipped": "no contest in the dataset"}
    answers = len(ids) * ANSWERS
    try:
        one = _rate(lambda: _single(ids, 1), answers)
        many = _rate(lambda: _threads(ids, 1 + ANSWERS), answers)
        batched = _rate(lambda: _batched(ids, 1 + 2 * ANSWERS), answers)
    finally:
        round_.attempts.all().delete()
        round_.delete()
    return {
        "answers": answers,
        "single_per_s": one,
        "threads": THREADS,
        "threaded_per_s": many,
        "batch": BATCH,
        "batched_per_s": batched,
    }
