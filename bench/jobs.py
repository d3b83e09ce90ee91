"""The background jobs in `make bench` (issue 17): a worker beside gunicorn, then
- queue latency: small jobs enqueued while the floor page is under load at c16, the time
  from enqueue to start (p50/p95), read from the jobs' own rows;
- the 100,000-people import as an officer runs it (bench/import_job.py: upload, the
  check job, confirm, the apply job), its wall time beside the read floor; the imported
  people are removed afterwards so the dataset stays as generated;
- the volunteer-service bulletins of all 21 cities as one job (a PDF each, in a ZIP).
"""

import contextlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from bench import server, wrk

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def worker(env: dict, log: Path, count: int = 1):
    """Start `count` background workers (`manage.py worker`) with the server's settings."""
    with open(log, "w") as log_file:
        processes = [
            subprocess.Popen(
                [sys.executable, "manage.py", "worker", "-v0", "--interval", "0.2"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            for _ in range(count)
        ]
        try:
            yield processes
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _inprocess(env: dict, *args) -> dict:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(completed.stdout)


def queue_latency(base, env: dict, *, floor_path: str, password: str, seconds: int) -> dict:
    """Enqueue small jobs at a steady rate while wrk loads the floor page at c16."""
    cookie = server.login(base, "demo-province", password)
    url = base + quote(floor_path, safe="/?=&%+")
    load: dict = {}

    def run_load():
        load.update(
            wrk.run(url, "latency", connections=16, duration=seconds, headers={"Cookie": cookie})
        )

    thread = threading.Thread(target=run_load)
    thread.start()
    try:
        pings = _inprocess({**env, "KEPU_BENCH_PING_SECONDS": str(max(1, seconds - 2))}, "ping")
    finally:
        thread.join()
    rps = load.get("rps")
    return {
        **pings["ping"],
        "load_rps": round(rps) if rps is not None else None,
        "load_p95_ms": load.get("p95_ms"),
    }


def import_as_job(base, env: dict, rows: int, shots: Path | None = None) -> dict:
    """bench/import_job.py against the running server and worker, then the clean-up."""
    command = [sys.executable, str(ROOT / "bench" / "import_job.py"), "--base", base]
    command += ["--rows", str(rows)]
    if shots:
        command += ["--shots", str(shots)]
    try:
        completed = subprocess.run(
            command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, timeout=3600
        )
        return json.loads(completed.stdout)
    finally:
        _inprocess(env, "unimport")


def bulletin_batch(env: dict) -> dict:
    """The bulletins of all cities as one job (measure.py bulletin_job)."""
    return _inprocess(env, "bulletin_job")["bulletin_job"]
