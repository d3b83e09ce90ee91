"""The 100,000-people import as an officer runs it: in Chromium, through a running server
and its background worker. Uploads the benchmark's people file, follows the job page's
progress bar (screenshots at 1366 and 390 px while it moves), confirms, follows the apply,
and prints the timings as JSON:

    .venv/bin/python bench/import_job.py --base http://127.0.0.1:8000 [--rows 100000]
        [--shots docs/screenshots] [--user demo-province]

The database is the server's (DATABASE_URL as the server has it): the file is built from
its counties. The import is applied for real; bench/run.py removes it afterwards.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Playwright runs an event loop in this thread; the ORM reads here are plain and short.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from measure import people_workbook  # noqa: E402  (sets Django up)

from kepu.core.models import ImportJob, Job  # noqa: E402


def _wait_done(job_id: str, page=None, shots=None, prefix="", every=5.0) -> list[dict]:
    """Poll the job row until it finished; take a screenshot every `every` seconds."""
    seen = []
    last_shot = 0.0
    while True:
        job = Job.objects.get(pk=job_id)
        seen.append({"t": time.time(), "done": job.done, "total": job.total})
        if job.finished:
            return seen
        taken = len(list(shots.glob(f"{prefix}-*.png"))) if shots else 0
        if page is not None and shots and taken < 3 and time.monotonic() - last_shot > every:
            page.screenshot(path=str(shots / f"{prefix}-{taken}.png"))
            last_shot = time.monotonic()
        time.sleep(0.5)


def run(base: str, rows: int, user: str, shots: Path | None) -> dict:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    data = people_workbook(rows)
    path = Path(tempfile.mkdtemp()) / f"people-{rows}.xlsx"
    path.write_bytes(data)
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 760}, locale="zh-CN")
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", settings.DEMO_PASSWORD)
        page.click("form button.btn-primary")
        page.wait_for_load_state()
        page.goto(f"{base}/imports/people.person/new/")
        page.set_input_files("input[type=file]", str(path))
        uploaded = time.time()
        page.click("form button.btn-primary")
        page.wait_for_url(re.compile(r".*/jobs/[0-9a-f-]+/$"))
        check_id = page.url.rstrip("/").rsplit("/", 1)[1]
        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.context.add_cookies(page.context.cookies())
        check_seen = _wait_done(check_id, page, shots, "import-100k-check")
        if shots:
            phone.goto(page.url if "/jobs/" in page.url else f"{base}/jobs/{check_id}/")
            phone.screenshot(path=str(shots / "import-100k-phone.png"))
        checked = time.time()
        page.wait_for_url(re.compile(r".*/imports/jobs/[0-9a-f-]+/$"), timeout=60_000)
        if shots:
            page.screenshot(path=str(shots / "import-100k-report.png"))
        page.click("form[action$='/confirm/'] button")
        confirmed = time.time()
        page.wait_for_url(re.compile(r".*/jobs/[0-9a-f-]+/$"))
        apply_id = page.url.rstrip("/").rsplit("/", 1)[1]
        apply_seen = _wait_done(apply_id, page, shots, "import-100k-apply", every=3.0)
        applied = time.time()
        browser.close()
    check, apply = Job.objects.get(pk=check_id), Job.objects.get(pk=apply_id)
    imported = ImportJob.objects.get(pk=check.params["import"])
    moving = sorted({s["done"] for s in check_seen if s["done"]})
    return {
        "rows": rows,
        "bytes": len(data),
        "check_s": round(checked - uploaded, 1),
        "apply_s": round(applied - confirmed, 1),
        "check_job_s": round((check.finished_at - check.started_at).total_seconds(), 1),
        "apply_job_s": round((apply.finished_at - apply.started_at).total_seconds(), 1),
        "queue_wait_s": round((check.started_at - check.created_at).total_seconds(), 2),
        "progress_steps_seen": len(moving),
        "apply_progress_seen": len({s["done"] for s in apply_seen}),
        "status": imported.status,
        "created": imported.to_create,
        "check_status": check.status,
        "apply_status": apply.status,
        "import_id": str(imported.pk),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--user", default="demo-province")
    parser.add_argument("--shots", type=Path, default=None)
    options = parser.parse_args(argv)
    print(json.dumps(run(options.base, options.rows, options.user, options.shots)))


if __name__ == "__main__":
    main()
