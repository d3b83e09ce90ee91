"""A knowledge contest's round under a burst (issue 21), driven from bench/run.py.

Three phases against a round opened for this run on the dataset's contest (a million
participants at province scale), each with wrk at concurrency 64, one connection per
thread (bench/lua/contest.lua): participants start their attempt, then answer every
question one request at a time (question 1 of every attempt first, as phones answering
in step), then submit. During the answers, a second wrk reads the round's own public
leaderboard at concurrency 16 (the finished preliminary round's, over a million
standings, is measured as a page of its own in bench/endpoints.py). Afterwards
bench/contest_burst.py counts the round: attempts, participants with two, acknowledged
answers missing from the database."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import server, wrk

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 64
LEADERBOARD_CONNECTIONS = 16
PHASES = ("start", "save", "submit")


def _tool(env, *args) -> dict:
    command = [sys.executable, "-m", "bench.contest_burst", *map(str, args)]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads(done.stdout)


def _phase(base, path, phase, lines, duration) -> dict:
    from bench.contest_burst import CSRF

    return wrk.run(
        base + path, "contest", connections=CONNECTIONS, duration=duration,
        threads=CONNECTIONS,
        env={"BENCH_PHASE": phase, "BENCH_LINES": str(lines), "BENCH_CSRF": CSRF,
             "BENCH_THREADS": str(CONNECTIONS)},
    )  # fmt: skip


def _figures(result: dict) -> dict:
    keys = ("requests", "duration_s", "rps", "p50_ms", "p95_ms", "p99_ms", "max_ms", "sent",
            "resent", "errors", "unexpected")  # fmt: skip
    return {key: result.get(key) for key in keys} | {"acked": len(result.get("acked") or [])}


def run(base: str, env: dict, *, duration: int, run_id: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        prepared = _tool(env, "prepare", run_id, 600 * duration, tmp / "participants.txt")
        print(f"  contest round {prepared['round']}: {prepared['participants']:,} participants")
        started = _phase(base, prepared["start"], "start", tmp / "participants.txt", duration)
        (tmp / "started.json").write_text(json.dumps(started["acked"]))
        made = _tool(env, "saves", prepared["round"], tmp / "started.json", tmp / "saves.txt")
        print(f"  {made['attempts']:,} attempts started, {made['lines']:,} answers to send")
        board = wrk.start(base + prepared["leaderboard"], "latency",
                          connections=LEADERBOARD_CONNECTIONS, duration=duration)  # fmt: skip
        cpu = server.cpu_seconds(base.pid)
        saved = _phase(base, prepared["answers"], "save", tmp / "saves.txt", duration)
        used = server.cpu_seconds(base.pid) - cpu
        board.stop()
        leaderboard = _figures(board.result())
        submitted = _phase(base, prepared["submit"], "submit", tmp / "saves.txt.submit",
                           max(2, duration // 2))  # fmt: skip
        (tmp / "saved.json").write_text(
            json.dumps({"acked": saved["acked"], "keys": str(tmp / "saves.txt.keys")})
        )
        stored = _tool(env, "count", prepared["round"], tmp / "saved.json")
    phases = {"start": started, "save": saved, "submit": submitted}
    seconds = sum(p["duration_s"] for p in phases.values())
    acked = sum(len(p.get("acked") or []) for p in phases.values())
    result = {
        "name": "contest burst",
        "path": prepared["answers"],
        "round": prepared["round"],
        "phases": {k: _figures(v) for k, v in phases.items()},
        "leaderboard": leaderboard,
        # gunicorn's CPU during the answers (the leaderboard's requests included).
        "save_cpu_ms": used * 1000 / max(1, saved["requests"] + leaderboard["requests"]),
        "stored": stored,
        "requests": sum(p["requests"] for p in phases.values()),
        "duration_s": seconds,
        "rps": sum(p["requests"] for p in phases.values()) / seconds,
        "p50_ms": saved["p50_ms"],
        "p95_ms": saved["p95_ms"],
        "p99_ms": saved["p99_ms"],
        "errors": sum(p["errors"] for p in phases.values()),
        "socket_errors": {
            kind: sum((p.get("socket_errors") or {}).get(kind) or 0 for p in phases.values())
            for kind in ("connect", "read", "write", "timeout")
        },
        "unexpected": {
            f"{name}: {status}": n
            for name, p in phases.items()
            for status, n in (p.get("unexpected") or {}).items()
        },  # fmt: skip
        "new": stored["attempts"],
        "resent": sum(p["resent"] for p in phases.values()),
        "replayed": sum(p["resent"] for p in phases.values()),
        "ok_rps": acked / seconds,
        "check": {
            "rows": stored["attempts"],
            "lost": stored["lost_answers"],
            "duplicated": stored["participants_twice"],
            "in_flight": max(0, stored["answers"] - stored["acked_answers"]),
        },
    }
    print(
        f"  burst: {result['ok_rps']:.0f} acknowledged/s; answer save p95 "
        f"{saved['p95_ms']:.0f} ms; live leaderboard p95 {leaderboard['p95_ms']} ms at "
        f"c{LEADERBOARD_CONNECTIONS}; {stored['lost_answers']} lost answers, "
        f"{stored['participants_twice']} duplicated attempts"
    )
    return result
