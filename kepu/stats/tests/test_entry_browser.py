"""The return form in a real browser on a 390-px phone: county A's officer opens a
pre-filled return (registry marks, last-year column, findings), types a word into a
number field and sees the error beside it, corrects it, explains the warning and
submits. No page scrolls sideways; screenshots in `artifacts/`."""

import os
import re
import subprocess
import sys

import pytest

from kepu.core.tests.browser.fixtures import ROOT, SERVER, log_in, shot

pytestmark = pytest.mark.browser


def _return_in_server() -> int:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{SERVER['db']}", "KEPU_HTTPS": "false"}
    code = (
        "from kepu.stats.models import SurveyRound\n"
        "from kepu.stats.services import prefill, returns\n"
        "from kepu.stats.tests.helpers import county_a_unit, make_round\n"
        "survey = make_round(2040 + SurveyRound.objects.count())\n"
        "ret, _ = returns.assign(survey, county_a_unit(), actor=None)\n"
        "prefill.prefill(ret, actor=None)\n"
        "print(ret.pk)\n"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(out.stdout.split()[-1])


def _fits(page):
    used = page.evaluate("document.documentElement.scrollWidth")
    assert used <= page.viewport_size["width"], f"{page.url}: {used} px wide"


def test_a_county_officer_fills_a_return_on_a_phone(browser, server_url):
    pk = _return_in_server()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    log_in(page, server_url, "demo-county-a")
    page.wait_for_url(re.compile(r".*/workbench/"))
    page.goto(f"{server_url}/stats/returns/{pk}/")
    assert page.locator("[data-registry]").count() >= 1
    assert page.locator("#id_KR100").get_attribute("inputmode") == "decimal"
    _fits(page)
    shot(page, "stats-entry-form-390")
    page.fill("#id_KR110", "十")
    page.fill("#id_KR120", "-1")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("[data-action=save]").click()
    assert page.locator("[data-indicator=KR110] .invalid-feedback").count() == 1
    assert page.locator("[data-indicator=KR120] .invalid-feedback").count() == 1
    _fits(page)
    shot(page, "stats-entry-form-errors-390")
    page.fill("#id_KR110", "0")
    page.fill("#id_KR120", "0")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("[data-action=save]").click()
    assert page.locator("[data-indicator=KR110] .invalid-feedback").count() == 0
    page.goto(f"{server_url}/stats/returns/{pk}/?table=KP-5")
    _fits(page)
    shot(page, "stats-entry-form-kp5-390")
    page.goto(f"{server_url}/stats/my/")
    _fits(page)
    page.goto(f"{server_url}/stats/returns/{pk}/history/")
    _fits(page)
    shot(page, "stats-entry-history-390")
    context.close()
