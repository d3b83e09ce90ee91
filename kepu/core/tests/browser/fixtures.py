"""A real server and a real browser: the platform is started as `make run` starts it
(migrate, load the regions and the demo province, runserver and the background worker)
on a temporary SQLite database, and Debian's Chromium is driven by Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
DEMO_PEOPLE = "300"  # enough for the journeys, quick to load
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Where the running server keeps its SQLite database (journeys may move time forward there).
SERVER = {}


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make system-deps installs it)")
    var = tmp_path_factory.mktemp("e2e")
    SERVER["db"] = var / "e2e.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kepu.settings",
        "DATABASE_URL": f"sqlite:///{var / 'e2e.sqlite3'}",
        "KEPU_VAR_DIR": str(var),
        "KEPU_HTTPS": "false",
        "KEPU_TASK_BACKEND": "db",  # the test process runs jobs inline; the server does not
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_regions"], ["load_demo", "--people", DEMO_PEOPLE]):
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True, cwd=ROOT)
    port = _free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115  (closed at teardown)
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker_log = open(var / "worker.log", "w")  # noqa: SIM115  (closed at teardown)
    worker = subprocess.Popen(
        [*manage, "worker", "-v0", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError((var / "server.log").read_text()) from None
            time.sleep(0.3)
    yield url
    worker.terminate()
    process.terminate()
    process.wait(timeout=10)
    worker.wait(timeout=30)
    worker_log.close()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base, username):
    from django.conf import settings

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("form button.btn-primary")
