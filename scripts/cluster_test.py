"""`make cluster-test`: the multi-host deployment of docs/deploy.md, on loopback.

It starts a PostgreSQL database of its own (kepu_cluster_<pid>, migrated, with the
regions and the demo accounts), a redis-server, nginx in front of two gunicorn app
servers, and two job workers (`manage.py worker`, KEPU_TASK_BACKEND=rq), all with the
same settings and the same KEPU_VAR_DIR (the shared media storage of several hosts).
Then, through nginx, while wrk places public orders (bench/lua/orders.lua):

1. a demo officer signs in, uploads a 20,000-row people workbook and waits for its check;
2. confirms it; once the apply job is inside its transaction, one app server and the
   worker running the apply are killed with SIGKILL (whole process groups, as a lost
   host), and the import is waited for: the reaper puts it back on the queue and the
   other worker applies it.

It asserts that every acknowledged order is stored once, that the import created its
people exactly once (the job succeeded, on its second attempt), and that nginx answered
5xx only to requests in flight on the killed app server; it prints a report and writes
it to bench/results/cluster-latest.md. Everything it started is stopped, and its
database dropped, however it ends (--keep leaves the database and the files).

To land the kill inside the apply's transaction every time, the script holds a SHARE
lock on the people table while it confirms: the apply waits at its INSERT, the kill
comes, the lock is released.
"""

import argparse
import atexit
import contextlib
import json
import os
import platform
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database, server, wrk  # noqa: E402
from bench import report as bench_report  # noqa: E402
from bench.run import ORDERS_PATH, git_commit, machine, manage, order_body  # noqa: E402
from kepu.env import load_dotenv  # noqa: E402

REPORT = ROOT / "bench" / "results" / "cluster-latest.md"
ORDER_REGION = "510104"  # a county of the demo province
OFFICER = "demo-province"
APP_SERVERS, APP_WORKERS, APP_THREADS = 2, 2, 2
JOB_WORKERS = 2
STALE_SECONDS = 10  # KEPU_JOB_STALE_SECONDS: a killed worker's job is reaped this soon
LOAD_LIMIT_SECONDS = 240  # wrk stops by itself then, whatever happens here
WAIT_SECONDS = 150  # for a job, a lock or a server
ACCESS_FORMAT = (
    '$msec $request_time $status "$upstream_addr" "$upstream_status" $request_method $uri'
)
ACCESS_LINE = re.compile(
    r'^(?P<end>[\d.]+) (?P<took>[\d.]+) (?P<status>\d+) "(?P<upstreams>[^"]*)" '
    r'"(?P<upstream_status>[^"]*)" (?P<method>\S+) (?P<uri>\S+)$'
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20000, help="people in the import")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("KEPU_CLUSTER_PG", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server (a superuser; the database is created and dropped)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument("--report", type=Path, default=REPORT)
    return parser.parse_args(argv)


class Clock:
    """Seconds since the start, and named moments."""

    def __init__(self):
        self.started = time.monotonic()
        self.marks: dict[str, float] = {}

    def now(self) -> float:
        return time.monotonic() - self.started

    def mark(self, name: str) -> float:
        self.marks[name] = round(self.now(), 2)
        print(f"[{self.marks[name]:6.1f} s] {name}", flush=True)
        return self.marks[name]


def wait_for(what: str, check, *, timeout=WAIT_SECONDS, every=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(every)


# --- Processes --------------------------------------------------------------------------


def spawn(stack, command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    """Start a process leading a process group of its own (it and its children are
    killed together); stopped, group and all, when the stack closes."""
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    stack.callback(stop_group, process)
    return process


def stop_group(process: subprocess.Popen, grace: float = 10) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # children left behind
            return
        except subprocess.TimeoutExpired:
            continue


def nginx_conf(tmp: Path, port: int, upstreams: list[str]) -> str:
    """The proxy of docs/deploy.md on plain HTTP, with its files in `tmp`."""
    user = pwd.getpwuid(os.geteuid()).pw_name
    servers = "\n".join(
        f"        server {address} max_fails=2 fail_timeout=10s;" for address in upstreams
    )
    import_mb = int(os.environ.get("KEPU_IMPORT_MAX_MB", "50"))
    return f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
{f"user {user};" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    log_format cluster '{ACCESS_FORMAT}';
    access_log {tmp}/nginx-access.log cluster;
    upstream kepu_app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        client_max_body_size {import_mb + 1}m;
        location / {{
            proxy_pass http://kepu_app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def start_nginx(stack, tmp: Path, upstreams: list[str], env: dict) -> str:
    port = server.free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_conf(tmp, port, upstreams))
    command = ["nginx", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    process = spawn(stack, command, env=env, log=tmp / "nginx.log")
    base = f"http://127.0.0.1:{port}"

    def up():
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{tail(tmp / 'nginx-error.log')}")
        with contextlib.suppress(OSError):
            return server.request(base, "GET", "/healthz")[0] == 200
        return False

    wait_for("nginx", up, timeout=30)
    return base


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


# --- The run ----------------------------------------------------------------------------


def settings_env(options, tmp: Path, database_url: str, redis_url: str) -> dict:
    """Every process's settings: the same database, Redis, files and keys (from .env)."""
    return {
        "DATABASE_URL": database_url,
        "KEPU_REDIS_URL": redis_url,
        "KEPU_TASK_BACKEND": "rq",
        "KEPU_VAR_DIR": str(tmp / "var"),
        "KEPU_DEBUG": "false",
        "KEPU_HTTPS": "false",
        "KEPU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "KEPU_TRUSTED_PROXIES": "127.0.0.1",
        "KEPU_JOB_STALE_SECONDS": str(STALE_SECONDS),
        "KEPU_SCHEDULER_TICK_SECONDS": "2",
        # All the load comes from one address (nginx sets X-Forwarded-For to the client's):
        # the per-address limits of public orders and of API calls (DRF's user rate
        # counts anonymous calls per address too) are raised; the limits still run.
        "KEPU_PUBLIC_ORDER_LIMIT": "1000000",
        "KEPU_API_ANON_RATE": "1000000/min",
        "KEPU_API_USER_RATE": "1000000/min",
        "KEPU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "kepu.settings",
    }


def upload_and_check(browser, data: bytes, clock: Clock) -> str:
    """Upload the workbook, wait for its check; the import's id."""
    status, headers, body = browser.post(
        "/imports/people.person/new/", {}, files={"file": ("cluster.xlsx", data)}
    )
    location = dict((k.lower(), v) for k, v in headers).get("location", "")
    found = re.match(r"^/jobs/([0-9a-f-]{36})/$", location)
    if status != 302 or not found:
        raise RuntimeError(f"upload: {status} {location} {body[:500]}")
    clock.mark("uploaded; the check job runs")
    state = wait_job(browser, found[1])
    if state["status"] != "succeeded":
        raise RuntimeError(f"check job: {state}")
    report = re.match(r"^/imports/jobs/([0-9a-f-]{36})/$", state["next"])
    if not report:
        raise RuntimeError(f"check job leads to {state['next']!r}")
    from kepu.core.models import ImportJob

    checked = ImportJob.objects.get(pk=report[1])
    if checked.status != "validated":
        raise RuntimeError(f"the import is {checked.status}: {checked.errors[:3]}")
    clock.mark(f"checked: {checked.to_create:,} people to create")
    return report[1]


def wait_job(browser, job_id: str) -> dict:
    """Poll the job page's status (as the page does) until the job finished."""

    def finished():
        status, _headers, body = browser.get(f"/jobs/{job_id}/status.json")
        if status != 200:
            raise RuntimeError(f"job status: {status} {body[:300]}")
        state = json.loads(body)
        return state if state["finished"] else None

    return wait_for(f"job {job_id}", finished, every=0.5)


def blocked_on_people(lock) -> bool:
    """Whether a transaction waits for the people table (the apply at its INSERT)."""
    row = lock.execute(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE NOT l.granted AND c.relname = 'people_person'"
    ).fetchone()
    return row[0] > 0


def confirm_and_kill(browser, import_id, *, database_url, app, workers, clock) -> dict:
    """Confirm the import with the people table locked; once the apply waits inside its
    transaction, kill the app server `app` and the worker running the apply."""
    from kepu.core.models import Job

    with psycopg.connect(database_url) as lock:
        lock.execute("LOCK TABLE people_person IN SHARE MODE")
        token = browser.form_token(f"/imports/jobs/{import_id}/")
        status, _headers, body = browser.post(
            f"/imports/jobs/{import_id}/confirm/", {}, token=token
        )
        if status != 302:
            raise RuntimeError(f"confirm: {status} {body[:300]}")
        clock.mark("confirmed; the apply job is queued")
        key = f"import.apply:{import_id}"
        job = wait_for(
            "the apply to start",
            lambda: Job.objects.filter(key=key, status="running").exclude(worker="").first(),
        )
        wait_for("the apply to reach its INSERT", lambda: blocked_on_people(lock))
        pid = int(job.worker.rsplit(":", 1)[1])
        victim = next((w for w in workers if w.pid == pid), None)
        if victim is None:
            raise RuntimeError(f"the apply runs on {job.worker}, not on a worker of ours")
        killed_at = time.time()
        os.killpg(victim.pid, signal.SIGKILL)
        os.killpg(app.pid, signal.SIGKILL)
        gone_at = refused_since(app)
        clock.mark(
            f"killed app server {app} and worker {job.worker} (SIGKILL); its port refused "
            f"connections {(gone_at - killed_at) * 1000:.0f} ms later"
        )
        lock.rollback()
    return {
        "job": job.pk, "worker": job.worker, "killed_at": killed_at, "gone_at": gone_at,
        "app": app,
    }  # fmt: skip


def refused_since(base: str) -> float:
    """When the killed server's listening socket is gone. A SIGKILLed process group dies
    over some milliseconds (longer on a loaded machine); until its socket is closed the
    kernel still accepts connections for it, and nginx may send it a request then."""
    host, port = urlsplit(base).netloc.rsplit(":", 1)
    deadline = time.time() + WAIT_SECONDS
    while time.time() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
        except ConnectionRefusedError:
            return time.time()
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError(f"{base} still accepts connections {WAIT_SECONDS} s after the SIGKILL")


def follow_apply(job_id, clock: Clock) -> dict:
    """Watch the killed apply job until it finished: when it was put back on the queue
    and when its second attempt began."""
    from kepu.core.models import Job

    seen = {}

    def finished():
        job = Job.objects.get(pk=job_id)
        if job.status == "queued" and "requeued" not in seen:
            seen["requeued"] = clock.mark("the reaper put the apply back on the queue")
        if job.status == "running" and job.attempts > 1 and "resumed" not in seen:
            seen["resumed"] = clock.mark(f"attempt {job.attempts} runs on {job.worker}")
        return job if job.finished else None

    job = wait_for("the apply to finish", finished, every=0.2)
    clock.mark(f"apply {job.status} after {job.attempts} attempts")
    return {"job": job, **seen}


def stored_orders(marker: str) -> dict:
    """The orders with `marker`, once their number stops changing."""
    from bench import counts

    stored = counts.orders(marker)
    for _ in range(20):
        time.sleep(0.5)
        again = counts.orders(marker)
        if again["rows"] == stored["rows"]:
            return again
        stored = again
    return stored


def import_outcome(import_id: str, rows: int) -> dict:
    from django.db.models import Count

    from kepu.core.models import AuditEntry, ImportJob
    from kepu.people.models import Person, Registration

    imported = Person.objects.filter(name__startswith="导入")
    counted = imported.aggregate(rows=Count("pk"), distinct=Count("id_hash", distinct=True))
    return {
        "status": ImportJob.objects.get(pk=import_id).status,
        "people": counted["rows"],
        "distinct_documents": counted["distinct"],
        "registrations": Registration.objects.filter(person__in=imported).count(),
        "applied_audit_entries": AuditEntry.objects.filter(
            action="core.importjob.applied", object_id=import_id
        ).count(),
        "expected": rows,
    }


def access_log(path: Path, *, killed: str, killed_at: float, gone_at: float) -> dict:
    """nginx's answers: by status, the 5xx ones, and the requests in flight on the
    killed app server (sent to it before its port refused connections, not answered
    before the SIGKILL)."""
    lines = [m for m in map(ACCESS_LINE.match, path.read_text().splitlines()) if m]
    by_status: dict[str, int] = {}
    in_flight, errors, retried = [], [], 0
    officer: dict[str, int] = {}  # the signed-in officer's requests by the server answering
    for line in lines:
        status = int(line["status"])
        by_status[str(status)] = by_status.get(str(status), 0) + 1
        upstreams = [u.strip() for u in line["upstreams"].split(",")]
        retried += len(upstreams) > 1
        if line["uri"] != ORDERS_PATH and line["uri"] != "/healthz":
            officer[upstreams[-1]] = officer.get(upstreams[-1], 0) + 1
        end = float(line["end"])
        start = end - float(line["took"])
        # Sent to the killed server before it was gone and not answered by then. A POST
        # passed on to the other server was never sent to it (connection refused).
        flying = (
            upstreams[0] == killed
            and start <= gone_at
            and end >= killed_at
            and not (line["method"] == "POST" and len(upstreams) > 1)
        )
        if flying:
            in_flight.append(line)
        if status >= 500:
            errors.append((line, flying))
    return {
        "requests": len(lines),
        "by_status": dict(sorted(by_status.items())),
        "retried_on_the_other_server": retried,
        "officer_by_server": officer,
        "in_flight_on_killed": len(in_flight),
        "in_flight_methods": sorted({m["method"] for m in in_flight}),
        "errors_5xx": len(errors),
        "errors_not_in_flight": [m.string for m, flying in errors if not flying],
    }


def run(options, stack, clock: Clock, tmp: Path) -> dict:
    database_url = f"{options.pg_url.rstrip('/')}/kepu_cluster_{os.getpid()}"
    database.recreate(database_url)
    if not options.keep:
        stack.callback(database.drop, database_url)
    redis_url = stack.enter_context(server.redis(tmp / "redis.log"))
    if redis_url is None:
        raise SystemExit("redis-server is missing: `make system-deps` (as root) installs it")
    os.environ.update(settings_env(options, tmp, database_url, redis_url))
    env = dict(os.environ)
    clock.mark(f"database {database_url.rsplit('/', 1)[1]}, redis {redis_url}, files in {tmp}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_regions")
    manage(env, "load_demo", "--apps")  # the regions' organizations and the demo accounts
    clock.mark("migrated; regions and demo accounts loaded")

    workers = [
        spawn(stack, [sys.executable, "manage.py", "worker"], env=env, log=tmp / f"worker-{i}.log")
        for i in range(1, JOB_WORKERS + 1)
    ]
    apps = [
        stack.enter_context(
            server.running(
                env=env, workers=APP_WORKERS, threads=APP_THREADS, log=tmp / f"app-{i}.log"
            )
        )
        for i in range(1, APP_SERVERS + 1)
    ]
    base = start_nginx(stack, tmp, [a.removeprefix("http://") for a in apps], env)
    clock.mark(f"nginx {base} -> {', '.join(apps)}; {JOB_WORKERS} workers")

    from bench.measure import people_workbook  # sets Django up, with these settings

    data = people_workbook(options.rows)
    clock.mark(f"workbook of {options.rows:,} people ({len(data) / 2**20:.1f} MB)")

    password = os.environ.get("KEPU_DEMO_PASSWORD", "Kepu@2025demo")
    browser = server.Browser(base).login(OFFICER, password)
    run_id = secrets.token_hex(4)
    marker = f"CLUSTER-{run_id}"
    load = wrk.start(
        base + ORDERS_PATH,
        "orders",
        connections=options.connections,
        duration=LOAD_LIMIT_SECONDS,
        env={"BENCH_RUN": run_id, "BENCH_BODY": order_body(ORDER_REGION, marker)},
    )
    stack.callback(load.stop)
    clock.mark(f"signed in as {OFFICER}; wrk places public orders ({options.connections} conn.)")

    import_id = upload_and_check(browser, data, clock)
    kill = confirm_and_kill(
        browser, import_id, database_url=database_url, app=apps[0], workers=workers, clock=clock
    )
    apply = follow_apply(kill["job"], clock)
    state = wait_job(browser, str(kill["job"]))  # what the officer's page shows
    time.sleep(2)  # the load goes on a moment on the one app server left
    load.stop()
    load_result = load.result()
    clock.mark(f"load stopped: {load_result['requests']:,} requests")

    stored = stored_orders(marker)
    check = bench_report.submission_check(
        answered=load_result["created"], replayed=load_result["replayed"], stored=stored
    )
    job = apply["job"]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "software": software(),
        "marks": clock.marks,
        "kill": {**kill, "app": str(kill["app"]), "job": str(kill["job"])},
        "apply": {
            "status": job.status,
            "attempts": job.attempts,
            "worker": job.worker,
            "page": state["status"],
            # From the job row: the second attempt's start and the end, after the kill.
            "restarted_after_kill_s": round(job.started_at.timestamp() - kill["killed_at"], 1),
            "finished_after_kill_s": round(job.finished_at.timestamp() - kill["killed_at"], 1),
        },
        "import": import_outcome(import_id, options.rows),
        "load": load_result,
        "stored": {"rows": stored["rows"], "distinct": stored["distinct"]},
        "check": check,
        "nginx": access_log(
            tmp / "nginx-access.log",
            killed=kill["app"].removeprefix("http://"),
            killed_at=kill["killed_at"],
            gone_at=kill["gone_at"],
        ),
        "options": {"rows": options.rows, "connections": options.connections},
        "server_errors": server_errors(tmp),
    }


def server_errors(tmp: Path, most: int = 5) -> list[str]:
    """The app servers' and workers' logged errors (Django logs an answered 500 with its
    traceback): what explains a 5xx that was not in flight on the killed server."""
    found = []
    for log in sorted(tmp.glob("*.log")):
        if log.name.startswith(("nginx", "redis")):
            continue
        block: list[str] = []
        for line in log.read_text(errors="replace").splitlines():
            starts = line.startswith(("Internal Server Error", "ERROR", "Traceback"))
            if starts and block and not line.startswith("Traceback"):
                found.append("\n".join(block))
                block = []
            if starts or (block and (line.startswith((" ", "\t")) or ":" in line[:60])):
                if not block:
                    block.append(f"[{log.name}]")
                block.append(line)
            elif block:
                found.append("\n".join(block))
                block = []
        if block:
            found.append("\n".join(block))
    return found[:most]


def software() -> dict:
    def version(command):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return (done.stdout + done.stderr).strip().splitlines()[0]

    return {
        "python": platform.python_version(),
        "nginx": version(["nginx", "-v"]).split("/")[-1],
        "redis": version(["redis-server", "--version"]).split()[2].removeprefix("v="),
        "gunicorn": metadata.version("gunicorn"),
        "rq": metadata.version("rq"),
        "wrk": wrk.version(),
    }


# --- Verdict and report -----------------------------------------------------------------


def verdict(result: dict) -> list[tuple[bool, str]]:
    imported, check, nginx = result["import"], result["check"], result["nginx"]
    apply, load = result["apply"], result["load"]
    rows = imported["expected"]
    acknowledged = len(load["created"]) + len(load["replayed"])
    return [
        (
            check["lost"] == 0 and check["duplicated"] == 0,
            f"every acknowledged order stored once: {acknowledged:,} acknowledged, "
            f"{check['lost']} lost, {check['duplicated']} duplicated",
        ),
        (
            imported["status"] == "imported"
            and imported["people"] == imported["distinct_documents"] == rows
            and imported["registrations"] == rows
            and imported["applied_audit_entries"] == 1,
            f"the import applied once: {imported['people']:,} people "
            f"({imported['distinct_documents']:,} distinct documents), "
            f"{imported['registrations']:,} registrations, "
            f"{imported['applied_audit_entries']} 'applied' audit entry, "
            f"status {imported['status']}",
        ),
        (
            apply["status"] == "succeeded" and apply["attempts"] == 2,
            f"the apply job succeeded on attempt {apply['attempts']} "
            "(the first one's worker was killed)",
        ),
        (
            len(nginx["officer_by_server"]) == APP_SERVERS,
            f"one session on every app server: the officer's requests were answered by "
            f"{len(nginx['officer_by_server'])} of {APP_SERVERS}",
        ),
        (
            nginx["errors_5xx"] <= nginx["in_flight_on_killed"]
            and not nginx["errors_not_in_flight"],
            f"5xx only for requests in flight on the killed app server: {nginx['errors_5xx']} "
            f"5xx, {nginx['in_flight_on_killed']} in flight",
        ),
    ]


def render(result: dict, checks) -> str:
    load, check, nginx, marks = result["load"], result["check"], result["nginx"], result["marks"]
    apply, imported = result["apply"], result["import"]
    acknowledged = len(load["created"]) + len(load["replayed"])
    lines = [
        "# Cluster test (`make cluster-test`)",
        "",
        f"{result['date']}, commit {result['commit']}; {result['machine']['cores']} cores "
        f"({result['machine']['cpu']}). nginx {result['software']['nginx']} in front of "
        f"{APP_SERVERS} gunicorn app servers ({APP_WORKERS} workers × {APP_THREADS} threads), "
        f"{JOB_WORKERS} job workers (RQ {result['software']['rq']}), Redis "
        f"{result['software']['redis']}, PostgreSQL; all on loopback.",
        "",
        "| check | result |",
        "|---|---|",
        *(f"| {'✅' if ok else '❌'} | {text} |" for ok, text in checks),
        "",
        "## Timeline",
        "",
        "| s | event |",
        "|---:|---|",
        *(f"| {seconds:.1f} | {name} |" for name, seconds in marks.items()),
        "",
        f"The reaper put the apply back on the queue once its heartbeat was "
        f"{STALE_SECONDS} s old (KEPU_JOB_STALE_SECONDS); its second attempt started "
        f"{apply['restarted_after_kill_s']} s after the kill, on {apply['worker']}, and "
        f"finished {apply['finished_after_kill_s']} s after it.",
        "",
        "## Import",
        "",
        f"{imported['expected']:,} rows; {imported['people']:,} people and "
        f"{imported['registrations']:,} registrations created; ImportJob {imported['status']}; "
        f"apply job {apply['status']} after {apply['attempts']} attempts.",
        "",
        "## Public orders through nginx (wrk, bench/lua/orders.lua)",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| requests answered | {load['requests']:,} in {load['duration_s']:.1f} s "
        f"({load['rps']:.0f}/s) |",
        f"| latency p50 / p95 / p99 / max | {fmt_ms(load['p50_ms'])} / {fmt_ms(load['p95_ms'])}"
        f" / {fmt_ms(load['p99_ms'])} / {fmt_ms(load['max_ms'])} |",
        f"| acknowledged (201 new, 200 re-sent) | {acknowledged:,} "
        f"({len(load['created']):,} + {len(load['replayed']):,}) |",
        f"| other answers (status: count) | {load['unexpected'] or 'none'} |",
        f"| socket errors | {load['socket_errors']} |",
        f"| stored orders (distinct client keys) | {result['stored']['rows']:,} "
        f"({result['stored']['distinct']:,}) |",
        f"| lost / duplicated | {check['lost']} / {check['duplicated']} |",
        f"| stored, never acknowledged (in flight at the kill or at wrk's stop) | "
        f"{check['in_flight']} |",
        "",
        "## nginx",
        "",
        f"{nginx['requests']:,} requests logged, by status {nginx['by_status']}; "
        f"{nginx['retried_on_the_other_server']} passed on to the other app server "
        "(connection refused by the killed one); "
        f"{nginx['in_flight_on_killed']} in flight on the killed app server "
        f"({', '.join(nginx['in_flight_methods']) or '-'}), {nginx['errors_5xx']} answered 5xx "
        "(an in-flight request may still have been answered as the server died); 499 are "
        "wrk's own requests cut off when it was stopped. "
        "The officer's requests (one session: sign-in, upload, status polls, confirm) were "
        f"answered by {len(nginx['officer_by_server'])} app servers "
        f"({', '.join(f'{a}: {n}' for a, n in nginx['officer_by_server'].items())}).",
        "",
    ]
    if nginx["errors_not_in_flight"]:
        lines += ["5xx not in flight on the killed server:", "", "```"]
        lines += nginx["errors_not_in_flight"][:20] + ["```", ""]
    if nginx["errors_not_in_flight"] and result["server_errors"]:
        lines += ["The servers' logged errors (first ones):", "", "```"]
        lines += [block[-4000:] for block in result["server_errors"]] + ["```", ""]
    return "\n".join(lines)


def fmt_ms(value) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def main(argv) -> int:
    options = parse_args(argv)
    missing = [tool for tool in ("nginx", "redis-server", "wrk") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)} (`make system-deps` as root)")
    load_dotenv(ROOT / ".env")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill too
    clock = Clock()
    with contextlib.ExitStack() as stack:
        atexit.register(stack.close)
        tmp = Path(tempfile.mkdtemp(prefix="kepu-cluster-"))
        if not options.keep:
            stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        try:
            result = run(options, stack, clock, tmp)
        except BaseException:
            print("\nlogs of the failed run:", file=sys.stderr)
            for log in sorted(tmp.glob("*.log")):
                print(f"--- {log.name}\n{tail(log, 15)}", file=sys.stderr)
            raise
        clock.mark("stopping")
    checks = verdict(result)
    text = render(result, checks)
    print("\n" + text)
    options.report.parent.mkdir(parents=True, exist_ok=True)
    options.report.write_text(text)
    print(f"report: {options.report}")
    failed = sum(not ok for ok, _text in checks)
    print(f"cluster: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
