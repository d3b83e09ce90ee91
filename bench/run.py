"""`make bench`: the province-scale benchmark (issue 8).

Creates the bench database and its dataset, runs the in-process measurements
(bench/measure.py), starts the platform as production runs it (gunicorn with several
workers, DEBUG off) on loopback, measures the latency of every endpoint in
bench/endpoints.py beside the floor (a trivial signed-in view), loads the public
submissions from wrk and counts what was stored, and writes the report to bench/results/
(markdown and JSON; latest.* is the newest). A province-scale PostgreSQL run also updates
the README's Performance section.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import contest_load, database, literacy_survey, report, server, wrk  # noqa: E402
from bench import jobs as bench_jobs  # noqa: E402
from bench.endpoints import FLOOR, endpoints, submission_targets  # noqa: E402
from kepu.env import load_dotenv  # noqa: E402

RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
SERVER_LOG = ROOT / "var" / "bench-gunicorn.log"
MAKE_DEFAULTS = ["--scale", "province", "--db", "postgres", "--scales", "county,city,province"]
SERVER_LOG_SCALE = ROOT / "var" / "bench-gunicorn-{scale}.log"
REDIS_LOG = ROOT / "var" / "bench-redis.log"
WORKER_LOG = ROOT / "var" / "bench-worker.log"
# The short load of the smaller scales in a cost-growth run (seconds).
GROWTH_C1_SECONDS = 2
GROWTH_C16_SECONDS = 3
SUBMISSION_CONNECTIONS = 16
WARM_UP_SECONDS = 1
# The figures of a submission load that go into the report.
LOAD_FIGURES = ["requests", "duration_s", "rps", "p50_ms", "p95_ms", "p99_ms", "sent", "resent"]
LOAD_FIGURES += ["unexpected", "socket_errors", "errors"]


def parse_args(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", choices=["county", "city", "province"], default="province")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seed", type=int, default=1, help="seed of the dataset generator")
    parser.add_argument(
        "--dataset",
        choices=["generated", "demo"],
        default="generated",
        help="generated: manage.py generate_dataset (default);\n"
        "demo: the small demo province of `make run` instead, a quick smoke test of the runner",
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per load at concurrency 16 (c1: half)"
    )
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the bench database when it holds the same dataset (scale, seed)",
    )
    parser.add_argument(
        "--rebuild-rollups",
        action="store_true",
        help="with --keep: rebuild every rollup counter from the raw rows before measuring",
    )
    parser.add_argument("--skip-http", action="store_true", help="in-process measurements only")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=100_000,
        help="rows of the import run as jobs through the page (0: skip it)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        help="only the endpoints and loads whose name or path has NAME (several: a,b)",
    )
    parser.add_argument(
        "--apps",
        default="",
        metavar="LIST",
        help="generate only these apps' parts of the dataset (e.g. core,stats: minutes\n"
        "instead of the whole province's 42); the database is kept apart from a full one",
    )
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--scales",
        default="",
        metavar="LIST",
        help="cost growth: also measure the pages at these scales (e.g. county,city,province;\n"
        "their own databases kepu_bench_<scale>, generated if missing, reused with --keep),\n"
        f"with a short load (c1 {GROWTH_C1_SECONDS} s, c16 {GROWTH_C16_SECONDS} s), "
        "no submissions and no import",
    )
    parser.add_argument(
        "--no-redis",
        action="store_true",
        help="serve without the benchmark's own redis-server (local-memory cache per worker)",
    )
    options = parser.parse_args(argv)
    scales = [s.strip() for s in options.scales.split(",") if s.strip()]
    unknown = set(scales) - {"county", "city", "province"}
    if unknown:
        parser.error(f"unknown scales: {', '.join(sorted(unknown))}")
    options.growth_scales = [s for s in ("county", "city", "province") if s in scales]
    return options


def command_line(argv) -> str:
    if not argv or argv == MAKE_DEFAULTS:
        return "make bench"
    return f'make bench BENCH_ARGS="{shlex.join(argv)}"'


def manage(env, *args, capture=False) -> str:
    """Run manage.py; with `capture`, also return what it printed."""
    command = [sys.executable, "manage.py", *args]
    if not capture:
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        return ""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    if process.wait():
        raise subprocess.CalledProcessError(process.returncode, command)
    return "".join(lines)


def read_db(env, *args) -> dict:
    """bench.counts, run against the bench database."""
    command = [sys.executable, "-m", "bench.counts", *args]
    completed = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads(completed.stdout)


# --- Dataset ----------------------------------------------------------------------------


def prepare_dataset(options, env) -> dict:
    """Create the database and its dataset, or reuse it with --keep when it already holds
    the same one."""
    url = env["DATABASE_URL"]
    wanted = {"kind": options.dataset, "scale": options.scale, "seed": options.seed}
    if options.apps:
        wanted["apps"] = options.apps
    marker = database.read_marker(url) if options.keep else None
    if marker and all(marker.get(key) == value for key, value in wanted.items()):
        print(f"reusing {url} ({options.dataset}, {options.scale}, seed {options.seed})")
        manage(env, "migrate", "--noinput", "-v0")
        # The code may count differently from the dataset's (--rebuild-rollups: counters
        # from the raw rows again, some minutes at province scale); then the planner's
        # statistics and merged search indexes.
        if options.rebuild_rollups:
            manage(env, "rollups", "--rebuild")
        manage(env, "vacuum_analyze")
        return {**marker, "reused": True, "rollups_rebuilt": options.rebuild_rollups}
    print(f"creating {url}")
    database.recreate(url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_regions")
    started = time.perf_counter()
    if options.dataset == "demo":
        command = ["load_demo", "--people", "500"]
    else:
        command = ["generate_dataset", "--scale", options.scale, "--seed", str(options.seed)]
        if options.apps:
            command += ["--apps", options.apps]
    output = manage(env, *command, capture=True)
    output = re.sub(r"(TOTP secret:)\s*\S+", r"\1 (not recorded)", output)
    marker = {**wanted, "seconds": time.perf_counter() - started, "output": output}
    print(f"dataset generated in {marker['seconds']:.1f} s")
    database.write_marker(url, marker)
    return {**marker, "reused": False}


def measure_inprocess(env, *sections) -> dict | None:
    script = ROOT / "bench" / "measure.py"
    if not script.exists():
        print("bench/measure.py is not there yet: no in-process measurements")
        return None
    print(f"in-process measurements (bench/measure.py {' '.join(sections)})")
    completed = subprocess.run(
        [sys.executable, str(script), *sections],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(completed.stdout)


# --- HTTP -------------------------------------------------------------------------------


def server_env(env) -> tuple[dict, list[str]]:
    """The production settings on plain HTTP, and notes on where they differ."""
    settings = {
        "KEPU_DEBUG": "false",
        "KEPU_HTTPS": "false",
        "KEPU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The load comes through loopback as if through a reverse proxy, with a client
        # address of its own per request (the public submission limits are per address).
        "KEPU_TRUSTED_PROXIES": "127.0.0.1",
        # One signed-in benchmark client makes thousands of API calls a minute.
        "KEPU_API_USER_RATE": "1000000/min",
        "KEPU_API_ANON_RATE": "1000000/min",
    }
    notes = [
        "Plain HTTP on loopback (KEPU_HTTPS=false): no TLS, cookies without the Secure flag.",
        "API throttle rates raised to 1,000,000/min (KEPU_API_USER_RATE, KEPU_API_ANON_RATE) "
        "so that the single benchmark client is not throttled; the throttles still run.",
        "X-Forwarded-For is trusted from 127.0.0.1 (KEPU_TRUSTED_PROXIES), as behind a "
        "reverse proxy.",
    ]
    return {**env, **settings}, notes


def c1_seconds(duration: int) -> int:
    return max(1, duration // 2)


def measure_endpoint(base, endpoint, *, duration, password, c1_duration=None) -> dict:
    """One request that must answer 200; a second of load so that every worker has served
    the page (its first time is slower: templates, caches); then the measurements at
    concurrency 1 and 16."""
    path = quote(endpoint.path, safe="/?=&%+")  # e.g. ?q=科普, as a browser sends it
    try:
        cookie = server.login(base, endpoint.persona, password) if endpoint.persona else ""
        cookie = "; ".join(c for c in (cookie, endpoint.cookie) if c)
        headers = {"Cookie": cookie} if cookie else {}
        status, _headers, body = server.request(base, "GET", path, headers=headers)
    except TimeoutError:
        # The workers are still busy with the previous page's slow answers: record this
        # page as unanswered rather than lose the whole run.
        print(f"  {endpoint.name}: no answer within the request timeout")
        silent = {
            "p50_ms": None,
            "p95_ms": None,
            "p99_ms": None,
            "requests": 0,
            "rps": 0,
            "unexpected": {"no answer in time": 1},
            "socket_errors": {},
            "errors": 1,
        }
        return {
            "name": endpoint.name,
            "path": endpoint.path,
            "persona": endpoint.persona,
            "module": endpoint.module,
            "c1": silent,
            "c16": dict(silent),
        }
    if status != 200:
        raise SystemExit(
            f"{endpoint.name} ({endpoint.path}) as {endpoint.persona or 'anonymous'} "
            f"answered {status}, not 200 (server log: {SERVER_LOG}):\n{body[:300]}"
        )
    url = base + path
    wrk.run(url, "latency", connections=16, duration=WARM_UP_SECONDS, headers=headers)
    c1_duration = c1_duration or c1_seconds(duration)
    c1 = wrk.run(url, "latency", connections=1, duration=c1_duration, headers=headers)
    cpu = server.cpu_seconds(base.pid)
    c16 = wrk.run(url, "latency", connections=16, duration=duration, headers=headers)
    # The server's CPU per request at c16 (gunicorn master and workers: Python, templates,
    # the database driver; not the database server's own work).
    used = server.cpu_seconds(base.pid) - cpu
    c16["cpu_ms"] = used * 1000 / c16["requests"] if c16["requests"] else None
    peak = None
    if endpoint.peak:  # a surge after the c16 run (e.g. the public emergency pages)
        peak = wrk.run(
            url, "latency", connections=endpoint.peak, duration=duration, headers=headers
        )
        peak["connections"] = endpoint.peak
        print(
            f"  {endpoint.name}: p95 {report.figure(peak['p95_ms'], 'ms')} at "
            f"c{endpoint.peak}, {peak['rps']:.0f}/s, {peak['errors']} failed"
        )
    print(
        f"  {endpoint.name}: p95 {report.figure(c1['p95_ms'], 'ms')} at c1, "
        f"{report.figure(c16['p95_ms'], 'ms')} at c16, {c16['rps']:.0f}/s, "
        f"CPU {report.figure(c16['cpu_ms'], 'ms')}/request, "
        f"{c1['errors'] + c16['errors']} failed"
    )
    return {
        "name": endpoint.name,
        "path": endpoint.path,
        "persona": endpoint.persona,
        "module": endpoint.module,
        "c1": c1,
        "c16": c16,
        **({"peak": peak} if peak else {}),
    }


def _settled(env, *args) -> dict:
    """Read the stored submissions once the server has finished what wrk left in flight."""
    stored = read_db(env, *args)
    for _ in range(20):
        time.sleep(0.5)
        again = read_db(env, *args)
        if again == stored:
            return stored
        stored = again
    return stored


def _load_result(name, path, result, *, acknowledged, answered, replayed, stored) -> dict:
    return {
        "name": name,
        "path": path,
        **{key: result[key] for key in LOAD_FIGURES},
        "new": len(answered),
        "replayed": acknowledged - len(answered),
        "ok_rps": acknowledged / result["duration_s"],
        "check": report.submission_check(answered=answered, replayed=replayed, stored=stored),
    }


ORDERS_PATH = "/api/v1/public/orders/"


def order_body(region: str, marker: str) -> str:
    """The JSON body of a public order for bench/lua/orders.lua ({KEY} and {PHONE} to
    fill in), with `marker` in its description to count the stored orders by."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    return json.dumps(
        {
            "client_key": "{KEY}",
            "name": "压测",
            "phone": "{PHONE}",
            "category": "health",
            "key_group": "general",
            "region": region,
            "address": "压测路 1 号",
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "expected_attendees": 30,
            "description": f"{marker} benchmark order",
            "consent": True,
        }
    )


def load_orders(base, env, *, region, duration, run_id) -> dict:
    """群众点单 through the public API: new orders, every tenth one sent twice."""
    path = ORDERS_PATH
    marker = f"BENCH-{run_id}"
    body = order_body(region, marker)
    result = wrk.run(
        base + path,
        "orders",
        connections=SUBMISSION_CONNECTIONS,
        duration=duration,
        env={"BENCH_RUN": run_id, "BENCH_BODY": body},
    )
    stored = _settled(env, "orders", marker)
    acknowledged = len(result["created"]) + len(result["replayed"])
    return _load_result(
        "public orders",
        path,
        result,
        acknowledged=acknowledged,
        answered=result["created"],
        replayed=result["replayed"],
        stored=stored,
    )


def load_signups(base, env, *, activity, duration, run_id) -> dict:
    """Sign-ups through the public activity page's form, every tenth one sent twice."""
    path = f"/events/{activity}/"
    marker = f"BENCH-{run_id}"
    token = secrets.token_hex(16)  # 32 characters, as Django's CSRF cookie
    fields = {"csrfmiddlewaretoken": token, "name": marker, "key_group": "general"}
    # A form token per sign-up ({KEY}), as each render of the form carries: a re-sent
    # request repeats it and is answered with the first one's ticket.
    body = urlencode({**fields, "consent": "on"}) + "&form_token={KEY}&phone={PHONE}"
    result = wrk.run(
        base + path,
        "signups",
        connections=SUBMISSION_CONNECTIONS,
        duration=duration,
        env={
            "BENCH_RUN": run_id,
            "BENCH_BODY": body,
            "BENCH_COOKIE": f"csrftoken={token}",
            "BENCH_PHONE_PREFIX": f"15{secrets.randbelow(1000):03d}",
        },
    )
    stored = _settled(env, "signups", marker)
    # A re-sent sign-up is answered with the first one's ticket: every ticket answered
    # counts as acknowledged, each distinct one is a sign-up that must be stored.
    tickets = result["tickets"]
    return _load_result(
        "public sign-ups",
        path,
        result,
        acknowledged=len(tickets),
        answered=sorted(set(tickets)),
        replayed=[],
        stored=stored,
    )


def load_survey(base, env, *, duration, run_id) -> dict:
    """Complete questionnaires through the public survey page of a round opened for this
    run (bench/literacy_survey.py), every tenth one sent twice: each distinct receipt
    number answered must be a stored response, and no nonce stored twice."""
    per_second = 1000  # questionnaires prepared per second of load, far above the rate
    with tempfile.TemporaryDirectory() as tmp:
        bodies = Path(tmp) / "survey-bodies.txt"
        command = [sys.executable, "-m", "bench.literacy_survey", "prepare", run_id,
                   str(per_second * duration), str(bodies)]  # fmt: skip
        prepared = json.loads(
            subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True).stdout
        )
        result = wrk.run(
            base + prepared["path"],
            "survey",
            connections=SUBMISSION_CONNECTIONS,
            duration=duration,
            env={
                "BENCH_BODIES": str(bodies),
                "BENCH_COOKIE": f"csrftoken={literacy_survey.CSRF}",
                "BENCH_THREADS": str(min(2, SUBMISSION_CONNECTIONS)),
            },
        )
    stored = _settled_survey(env, prepared["round"])
    receipts = result["receipts"]
    return _load_result(
        "public survey responses",
        prepared["path"],
        result,
        acknowledged=len(receipts),
        answered=sorted(set(receipts)),
        replayed=[],
        stored=stored,
    )


def _settled_survey(env, round_pk) -> dict:
    command = [sys.executable, "-m", "bench.literacy_survey", "count", str(round_pk)]

    def read():
        completed = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        return json.loads(completed.stdout)

    stored = read()
    for _ in range(20):
        time.sleep(0.5)
        again = read()
        if again["rows"] == stored["rows"]:
            return again
        stored = again
    return stored


def wanted(options, *names) -> bool:
    """`--only a,b`: the endpoints and loads whose name or path has any of a, b."""
    if not options.only:
        return True
    parts = [p.strip().lower() for p in options.only.split(",") if p.strip()]
    return any(p in n.lower() for p in parts for n in names)


def redis_note(redis_url) -> str:
    if not redis_url:
        return (
            "No Redis (redis-server missing or --no-redis): each worker has a local-memory "
            "cache; sessions in the database."
        )
    return (
        f"Shared cache and sessions on the benchmark's own redis-server ({redis_url}, "
        'started for this run with --save "" --appendonly no, stopped at the end): '
        "KEPU_REDIS_URL set for gunicorn, so public pages, role lists and sessions "
        "(cached_db) are shared by the workers as in production."
    )


def measure_http(options, env, sample, *, password, redis_url) -> tuple[dict, dict, list[str]]:
    chosen = [e for e in endpoints(sample) if wanted(options, e.name, e.path)]
    targets = submission_targets(sample)
    http_env, notes = server_env(env)
    if redis_url:
        http_env = {**http_env, "KEPU_REDIS_URL": redis_url, "KEPU_CACHE_PREFIX": "bench-main"}
    # The queue as production runs it: Redis + RQ beside Redis, else the database.
    http_env["KEPU_TASK_BACKEND"] = "rq" if redis_url else "db"
    notes.append(redis_note(redis_url))
    run_id = secrets.token_hex(4)
    print(f"starting gunicorn with {options.workers} workers")
    with server.running(env=http_env, workers=options.workers, log=SERVER_LOG) as base:
        print("latency (wrk)")
        floor = measure_endpoint(base, FLOOR, duration=options.duration, password=password)
        if floor["c1"]["errors"] or floor["c16"]["errors"]:
            raise SystemExit(f"the floor failed: {floor['c1']}, {floor['c16']}")
        entries = [
            measure_endpoint(base, e, duration=options.duration, password=password) for e in chosen
        ]
        submissions = {}
        if wanted(options, "public orders", "/api/v1/public/orders/"):
            print("public orders under load")
            submissions["orders"] = load_orders(
                base,
                env,
                region=targets["order_region"],
                duration=options.duration,
                run_id=run_id,
            )
        if targets.get("signup_activity") is None:
            notes.append("Sign-ups were not measured: no activity taking sign-ups was chosen.")
        elif wanted(options, "public sign-ups", f"/events/{targets['signup_activity']}/"):
            print("public sign-ups under load")
            submissions["signups"] = load_signups(
                base,
                env,
                activity=targets["signup_activity"],
                duration=options.duration,
                run_id=run_id,
            )
        if wanted(options, "public survey", "/survey/"):
            print("public survey responses under load")
            submissions["survey"] = load_survey(base, env, duration=options.duration, run_id=run_id)
        if wanted(options, "contest burst", "/contests/"):
            print("knowledge contest: a round under a burst")
            submissions["contest"] = contest_load.run(
                base, env, duration=options.duration, run_id=run_id
            )
        if wanted(options, "background jobs"):
            submissions["jobs"] = measure_jobs(options, base, http_env, password)
    background = submissions.pop("jobs", None)
    for entry in entries:
        entry["goals"] = report.endpoint_goals(entry, floor)
    for load in submissions.values():
        load["goal"] = report.submission_goal(load, floor["c16"]["rps"])
    latency = {
        "c1_seconds": c1_seconds(options.duration),
        "c16_seconds": options.duration,
        "floor": floor,
        "endpoints": entries,
    }
    if background:
        latency["jobs"] = background
    return latency, submissions, notes


def measure_jobs(options, base, http_env, password) -> dict:
    """A background worker beside gunicorn: queue latency under load, the 100,000-people
    import as an officer runs it (bench/jobs.py)."""
    print(f"background jobs ({http_env['KEPU_TASK_BACKEND']} queue, one worker)")
    with bench_jobs.worker(http_env, WORKER_LOG):
        ping = bench_jobs.queue_latency(
            base, http_env, floor_path=FLOOR.path, password=password, seconds=options.duration
        )
        print(f"  queue latency: p95 {report.figure(ping.get('p95_ms'), 'ms')} under load")
        result = {"backend": http_env["KEPU_TASK_BACKEND"], "queue": ping}
        result["bulletins"] = bench_jobs.bulletin_batch(http_env)
        print(f"  bulletins of all cities as a job: {result['bulletins'].get('job_s')} s")
        if options.import_rows:
            imported = bench_jobs.import_as_job(base, http_env, options.import_rows)
            print(
                f"  import of {imported['rows']} rows as jobs: check {imported['check_s']} s, "
                f"apply {imported['apply_s']} s ({imported['status']})"
            )
            result["import"] = imported
    return result


def measure_scale(options, scale, *, password, redis_url) -> dict:
    """The same pages at a smaller scale, for the cost-growth table: the scale's own
    database (generated if missing, reused with --keep), a short load, no submissions."""
    scale_options = argparse.Namespace(**{**vars(options), "scale": scale})
    url = database.url(options.db, scale, options.pg_url, own=False)
    env = {**os.environ, "DATABASE_URL": url}
    print(f"\ncost growth: {scale} scale ({url})")
    dataset = prepare_dataset(scale_options, env)
    inprocess = measure_inprocess(env, "sample") or {}
    sample = inprocess.get("sample") or {}
    chosen = [e for e in endpoints(sample) if wanted(options, e.name, e.path)]
    http_env, _notes = server_env(env)
    if redis_url:  # a key prefix of its own: no page cached at another scale is served
        http_env = {**http_env, "KEPU_REDIS_URL": redis_url, "KEPU_CACHE_PREFIX": f"bench-{scale}"}
    log = Path(str(SERVER_LOG_SCALE).format(scale=scale))
    with server.running(env=http_env, workers=options.workers, log=log) as base:
        runs = [
            measure_endpoint(
                base,
                endpoint,
                duration=GROWTH_C16_SECONDS,
                c1_duration=GROWTH_C1_SECONDS,
                password=password,
            )
            for endpoint in [FLOOR, *chosen]
        ]
    return {
        "scale": scale,
        "database": url,
        "reused": dataset["reused"],
        "seconds": dataset.get("seconds"),
        "floor": runs[0],
        "endpoints": runs[1:],
    }


def _growth_entry(run: dict) -> dict:
    return {
        "p95_ms": run["c16"]["p95_ms"],
        "cpu_ms": run["c16"].get("cpu_ms"),
        "rps": run["c16"]["rps"],
        "errors": run["c1"]["errors"] + run["c16"]["errors"],
    }


def growth_table(results: dict, smaller: list[dict]) -> dict:
    """page name → scale → p95 at c16, CPU ms per request, req/s (the main run's figures
    for its own scale, the short loads' for the others)."""
    scales = {run["scale"]: run for run in smaller}
    main = results.get("latency")
    if main:
        scales[results["options"]["scale"]] = {
            "floor": main["floor"],
            "endpoints": main["endpoints"],
        }
    order = [s for s in ("county", "city", "province") if s in scales]
    pages: dict[str, dict] = {}
    for scale in order:
        run = scales[scale]
        pages.setdefault(FLOOR.name, {})[scale] = _growth_entry(run["floor"])
        for entry in run["endpoints"]:
            pages.setdefault(entry["name"], {})[scale] = _growth_entry(entry)
    return {"scales": order, "pages": pages}


# --- Report -----------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    kib = next(int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal"))
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": kib / 1024**2}


def git_commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def write_report(results: dict, options) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = RESULTS / f"{stamp}-{options.scale}-{options.db}"
    # The figures first: a report that fails to render loses no measurement.
    base.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    markdown = report.render_markdown(results)
    base.with_suffix(".md").write_text(markdown)
    for suffix in (".json", ".md"):
        shutil.copyfile(base.with_suffix(suffix), RESULTS / f"latest{suffix}")
    print(f"\n{markdown}\nreport: {base}.md (and .json; latest.md, latest.json)")
    if options.scale == "province" and options.db == "postgres" and options.dataset != "demo":
        README.write_text(report.replace_marked(README.read_text(), report.readme_block(results)))
        print("README.md: Performance section updated")
    else:
        print("README.md not updated (only a province-scale PostgreSQL run goes there)")
    return base


def main(argv) -> None:
    options = parse_args(argv)
    load_dotenv(ROOT / ".env")
    if shutil.which("wrk") is None and not options.skip_http:
        raise SystemExit("wrk is missing: `make system-deps` (as root) installs it")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on kill too
    url = database.url(options.db, options.scale, options.pg_url, apps=options.apps)
    env = {**os.environ, "DATABASE_URL": url}
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command_line(argv),
        "commit": git_commit(),
        "options": vars(options),
        "machine": machine(),
    }
    results["dataset"] = prepare_dataset(options, env)
    results["health"] = read_db(env, "health")
    db = read_db(env, "database")
    results["software"] = {
        "database": f"{db['vendor']} {db['version']}",
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
        "wrk": wrk.version() if shutil.which("wrk") else None,
    }
    results["inprocess"] = measure_inprocess(env)
    results["dataset"]["sizes"] = (results["inprocess"] or {}).get("counts") or read_db(
        env, "sizes"
    )
    results["server"] = {"workers": options.workers, "notes": []}
    results["floor_before"] = report.FLOOR_BEFORE
    if not options.skip_http:
        results["machine"]["load_average"] = os.getloadavg()[0]
        if results["machine"]["load_average"] > results["machine"]["cores"]:
            print(f"warning: the machine is busy (load average {os.getloadavg()[0]:.1f})")
        sample = (results["inprocess"] or {}).get("sample") or {}
        password = os.environ.get("KEPU_DEMO_PASSWORD", "Kepu@2025demo")
        redis_server = contextlib.nullcontext() if options.no_redis else server.redis(REDIS_LOG)
        with redis_server as redis_url:
            latency, submissions, notes = measure_http(
                options, env, sample, password=password, redis_url=redis_url
            )
            results.update(latency=latency, submissions=submissions)
            results["server"]["notes"] = notes
            results["server"]["redis"] = redis_url
            smaller = [
                measure_scale(options, scale, password=password, redis_url=redis_url)
                for scale in options.growth_scales
                if scale != options.scale
            ]
        if options.growth_scales:
            results["growth"] = growth_table(results, smaller)
            results["growth"]["runs"] = [
                {k: run[k] for k in ("scale", "database", "reused", "seconds")} for run in smaller
            ]
    results["goals"] = report.evaluate_goals(results)
    write_report(results, options)


if __name__ == "__main__":
    main(sys.argv[1:])
