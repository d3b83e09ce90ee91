"""The statistics survey's journey in a real browser (issue 22): a 锦江区 unit's staff,
on a 390-px phone, open their return with the registry counts pre-filled, fill the
funding table and submit; the county officer returns it with a reason; the unit sees the
reason, corrects it and submits again; the county accepts it and approves 锦江区, the city
approves 成都市, the province approves 四川省; the province officer reads the aggregate
(the unit's figures, counted) and exports the table in the official layout. No page
scrolls sideways at 390 px; screenshots in `artifacts/`."""

import os
import re
import subprocess
import sys

import pytest
from python_calamine import CalamineWorkbook

from kepu.core.tests.browser.fixtures import ROOT, SERVER, log_in, shot

pytestmark = pytest.mark.browser

UNIT_USER = "jrn-stats-unit"
REASON = "捐赠与自筹资金填反了，请核对后重新上报"


def _setup_in_server() -> tuple[int, int, int, int, int]:
    """A fresh open round of the province with one 锦江区 unit whose staff have an
    account, its return pre-filled from the registries; (round, return, 锦江区, 成都市,
    四川省) ids."""
    # The server's settings (its password hashers: the account is created here).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kepu.settings",
        "DATABASE_URL": f"sqlite:///{SERVER['db']}",
        "KEPU_HTTPS": "false",
        "KEPU_VAR_DIR": str(SERVER["db"].parent),
    }
    code = (
        "from django.conf import settings\n"
        "from kepu.core import services as core\n"
        "from kepu.core.choices import Role\n"
        "from kepu.core.models import Region, User\n"
        "from kepu.stats.models import SurveyRound\n"
        "from kepu.stats.services import prefill, returns\n"
        "from kepu.stats.tests.helpers import county_a_unit, make_round\n"
        "survey = make_round(2070 + SurveyRound.objects.count())\n"
        "unit = county_a_unit()\n"
        f"user = User.objects.filter(username={UNIT_USER!r}).first() or core.create_user(\n"
        f"    actor=None, username={UNIT_USER!r}, full_name='锦江区科协 统计员',\n"
        "    password=settings.DEMO_PASSWORD, must_change_password=False)\n"
        "if not user.role_assignments.filter(role=Role.MEMBER_STAFF).exists():\n"
        "    core.assign_role(user, actor=None, role=Role.MEMBER_STAFF, organization=unit)\n"
        "ret, _ = returns.assign(survey, unit, actor=None)\n"
        "prefill.prefill(ret, actor=None)\n"
        "codes = ('510104', '5101', '51')\n"
        "ids = [Region.objects.get(code=c).pk for c in codes]\n"
        "print(survey.pk, ret.pk, *ids)\n"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return tuple(int(x) for x in out.stdout.split()[-5:])


def _context(browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 844},
        is_mobile=width < 500, has_touch=width < 500, locale="zh-CN",
    )  # fmt: skip
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


def _fits(page):
    used = page.evaluate("document.documentElement.scrollWidth")
    assert used <= page.viewport_size["width"], f"{page.url}: {used} px wide"


def _click(page, selector):
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).first.click()


def _fill_funding(page, values):
    for code, value in values.items():
        page.fill(f"#id_{code}", value)


def _officer(browser, base, username):
    context, page = _context(browser, 1366)
    log_in(page, base, username)
    page.wait_for_url(re.compile(r".*/workbench/"))
    return context, page


def test_unit_fills_county_returns_unit_fixes_approved_up_the_tree(browser, server_url):
    survey, ret, county, city, province = _setup_in_server()
    base = server_url

    # The unit's staff fill the funding table on a phone and submit.
    unit_ctx, unit = _context(browser, 390)
    log_in(unit, base, UNIT_USER)
    unit.wait_for_url(re.compile(r".*/workbench/"))
    unit.goto(f"{base}/stats/my/")
    _fits(unit)
    shot(unit, "stats-journey-my-returns-390")
    unit.goto(f"{base}/stats/returns/{ret}/")
    assert unit.locator("[data-registry]").count() >= 1  # counts from the registries
    _fits(unit)
    shot(unit, "stats-journey-form-prefilled-390")
    unit.goto(f"{base}/stats/returns/{ret}/?table=KP-3")
    wrong = {"KJ100": "50", "KJ120": "40", "KJ121": "10", "KJ130": "8", "KJ140": "2", "KJ150": "0"}
    _fill_funding(unit, wrong)
    _click(unit, "[data-action=submit]")
    assert unit.locator("[data-return-status=submitted]").count() == 1, unit.url
    _fits(unit)

    # The county returns it with a reason.
    county_ctx, officer = _officer(browser, base, "demo-county-a")
    officer.goto(f"{base}/stats/rounds/{survey}/returns/")
    shot(officer, "stats-journey-county-returns-1366")
    officer.locator("details summary", has_text="退回").first.click()
    officer.fill(f"#reason-{ret}", REASON)
    _click(officer, "[data-send-back]")
    assert officer.locator("[data-status=returned]").count() == 1

    # The unit sees why, corrects the two sources and submits again.
    unit.goto(f"{base}/stats/returns/{ret}/?table=KP-3")
    assert REASON in unit.locator("[data-returned]").inner_text()
    _fits(unit)
    shot(unit, "stats-journey-returned-390")
    _fill_funding(unit, {"KJ130": "2", "KJ140": "8"})
    _click(unit, "[data-action=submit]")
    assert unit.locator("[data-return-status=submitted]").count() == 1

    # The county accepts it and approves 锦江区.
    officer.goto(f"{base}/stats/rounds/{survey}/returns/")
    _click(officer, "[data-accept]")
    assert officer.locator("[data-status=accepted]").count() == 1
    officer.goto(f"{base}/stats/rounds/{survey}/approval/?region={county}")
    _click(officer, "[data-approve]")
    shot(officer, "stats-journey-county-approved-1366")

    # 成都市 approves, then 四川省.
    city_ctx, city_officer = _officer(browser, base, "demo-city")
    city_officer.goto(f"{base}/stats/rounds/{survey}/approval/?region={city}")
    _click(city_officer, "[data-approve]")
    province_ctx, prov = _officer(browser, base, "demo-province")
    prov.goto(f"{base}/stats/rounds/{survey}/approval/?region={province}")
    shot(prov, "stats-journey-province-approval-1366")
    _click(prov, "[data-approve]")
    prov.goto(f"{base}/stats/rounds/{survey}/completeness/")
    shot(prov, "stats-journey-completeness-1366")

    # The province's aggregate counts the unit's corrected figures; the table exports.
    prov.goto(f"{base}/stats/aggregates/?round={survey}&region={province}&table=KP-3")
    assert prov.locator("tr[data-code=KJ100] [data-value]").inner_text().strip() == "50"
    assert prov.locator("tr[data-code=KJ130] [data-value]").inner_text().strip() == "2"
    shot(prov, "stats-journey-aggregates-1366")
    with prov.expect_download() as download:
        prov.locator("a", has_text="导出本表").first.click()
    book = CalamineWorkbook.from_path(str(download.value.path()))
    cells = [str(c) for row in book.get_sheet_by_index(0).to_python() for c in row]
    assert "KJ100" in " ".join(cells)
    phone_ctx, phone = _context(browser, 390)
    log_in(phone, base, "demo-province")
    phone.wait_for_url(re.compile(r".*/workbench/"))
    phone.goto(f"{base}/stats/aggregates/?round={survey}&region={province}&table=KP-3")
    _fits(phone)
    shot(phone, "stats-journey-aggregates-390")
    for page in (unit, officer, city_officer, prov, phone):
        assert not page.errors, page.errors
    for context in (unit_ctx, county_ctx, city_ctx, province_ctx, phone_ctx):
        context.close()
