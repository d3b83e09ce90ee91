"""The contests journey in a real browser (issue 21). So far the participant's part: a
person on a 390-px phone finds the province's contest, registers (name, phone, city then
county, group, consent to the contest's own notice), starts the open round, answers
every question (saved as they go, without page loads), reviews the summary, submits and
sees the result. No page scrolls sideways at 390 px; screenshots in `artifacts/`.

The contest and its open round are made in the server's database through the tests'
helpers (the officer's pages will set them up in the full journey)."""

import os
import re
import subprocess
import sys

import pytest

from kepu.core.tests.browser.fixtures import ROOT, SERVER, shot

pytestmark = pytest.mark.browser

TITLE = "四川省全民科学素质网络知识竞赛（旅程）"
QUESTIONS = 5


def _context(browser, width, locale="zh-CN"):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 844},
        is_mobile=width < 500, has_touch=width < 500, locale=locale,
    )  # fmt: skip
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


def _fits(page):
    used = page.evaluate("document.documentElement.scrollWidth")
    width = page.viewport_size["width"]
    assert used <= width, f"{page.url}: {used} px wide at {width} px"


def _click(page, selector):
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).first.click()


def _contest_in_server(prefix="JRN") -> tuple[int, int]:
    """A published provincial contest with an open round of five questions, made in the
    journey server's database; (contest pk, round pk)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{SERVER['db']}", "KEPU_HTTPS": "false"}
    code = (
        "from kepu.contests.tests import helpers as h\n"
        f"contest = h.contest(title={TITLE!r}, description='面向全省居民的网络知识竞赛。',\n"
        "    rules='每轮随机抽取题目，限时作答，每人一次机会；按得分、用时、交卷先后排名。')\n"
        f"round_ = h.open_round(contest, questions={QUESTIONS}, min_seconds=1,\n"
        f"    pool=h.items(8, prefix={prefix!r}))\n"
        "print(contest.pk, round_.pk)\n"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    contest_pk, round_pk = out.stdout.split()[-2:]
    return int(contest_pk), int(round_pk)


def test_a_person_registers_and_takes_the_round_on_a_phone(browser, server_url):
    contest_pk, round_pk = _contest_in_server()
    context, phone = _context(browser, 390)
    phone.goto(f"{server_url}/contests/", wait_until="domcontentloaded")
    _fits(phone)
    shot(phone, "e2e-contests-1-list-phone")
    _click(phone, f"a[href='/contests/{contest_pk}/']")
    assert phone.locator("[data-round]").count() == 1
    _fits(phone)
    _click(phone, "a[data-join]")
    assert phone.locator("[data-notice]").inner_text().startswith("本竞赛收集")
    phone.fill("#id_name", "张小红")
    phone.fill("#id_phone", "13912345678")
    phone.select_option("#id_city", label="成都市")
    # The county select is narrowed to the city's counties by the page's script.
    assert phone.locator("#id_region optgroup").count() == 1
    phone.select_option("#id_region", label="锦江区")
    phone.select_option("#id_group", value="other")
    phone.check("#id_consent")
    _fits(phone)
    shot(phone, "e2e-contests-2-join-phone")
    _click(phone, "form[data-join-form] button.btn-primary")
    assert phone.locator("[data-registered]").count() == 1, phone.url
    assert "13912345678" not in phone.content()

    _click(phone, f"[data-round='{round_pk}'] button[data-start]")
    assert re.search(rf"/contests/rounds/{round_pk}/q/1/$", phone.url), phone.url
    _fits(phone)
    shot(phone, "e2e-contests-3-question-phone")
    for position in range(1, QUESTIONS + 1):
        section = phone.locator(f"form[data-question='{position}']")
        assert section.is_visible()
        section.locator("input[name=choice]").first.check()
        section.locator("[data-saved]").wait_for(state="visible")
        phone.wait_for_timeout(1100)  # a person reads: faster answers are flagged
        if position < QUESTIONS:
            section.locator("button[value=next]").click()
            phone.locator(f"form[data-question='{position + 1}']").wait_for(state="visible")
            assert phone.url.endswith(f"/q/{position + 1}/")  # no page load, the address follows
        else:
            with phone.expect_navigation(wait_until="domcontentloaded"):
                section.locator("button[value=summary]").click()
    assert phone.url.endswith(f"/contests/rounds/{round_pk}/summary/"), phone.url
    assert phone.locator(".ct-grid .btn-success").count() == QUESTIONS
    _fits(phone)
    shot(phone, "e2e-contests-4-summary-phone")
    _click(phone, "form[data-final-submit] button")
    assert phone.url.endswith(f"/contests/rounds/{round_pk}/result/"), phone.url
    assert phone.locator("[data-score]").inner_text().strip().endswith(f"/ {QUESTIONS * 10}")
    assert phone.locator("[data-excluded]").count() == 0
    _fits(phone)
    shot(phone, "e2e-contests-5-result-phone")
    # Reopening the round after submitting starts nothing new: the round page links the result.
    phone.goto(f"{server_url}/contests/rounds/{round_pk}/take/", wait_until="domcontentloaded")
    assert phone.locator("button[data-start]").count() == 0
    assert not phone.errors, phone.errors
    context.close()


def test_the_taking_pages_fit_a_phone_and_pass_axe(browser, server_url):
    """Every page of taking part, as a registered participant with an attempt (the pages
    need one), at 360 and 390 px in standard, large-text and English modes; axe-core
    finds nothing serious (standard and large text). `bypass_csp` only to inject axe."""
    from kepu.core.publiccache import A11Y_COOKIE
    from kepu.core.tests.browser.test_widths_a11y import MODES, _check_page

    contest_pk, round_pk = _contest_in_server("JRA")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        locale="zh-CN", bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    page.goto(f"{server_url}/contests/{contest_pk}/join/", wait_until="domcontentloaded")
    page.fill("#id_name", "李明")
    page.fill("#id_phone", "13712345670")
    page.select_option("#id_region", label="锦江区")
    page.select_option("#id_group", value="farmers")
    page.check("#id_consent")
    _click(page, "form[data-join-form] button.btn-primary")
    _click(page, f"[data-round='{round_pk}'] button[data-start]")
    rounds = f"/contests/rounds/{round_pk}"
    before = ["/contests/", f"/contests/{contest_pk}/", f"{rounds}/q/1/", f"{rounds}/q/2/",
              f"{rounds}/summary/"]  # fmt: skip
    host = server_url.split("//", 1)[1].split(":")[0]
    failures = []

    def each_mode(paths):
        for mode, (cookies, run_axe) in MODES.items():
            context.clear_cookies(name=re.compile(f"^({A11Y_COOKIE}|django_language)$"))
            context.add_cookies(
                [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()]
            )
            for path in paths:
                failures.extend(_check_page(page, server_url + path, mode, run_axe))
                if mode != "standard" and path.endswith(("/q/1/", "/result/", "/join/")):
                    page.set_viewport_size({"width": 390, "height": 844})
                    shot(page, f"e2e-contests-{mode}-{path.strip('/').split('/')[-1]}-phone")

    each_mode(before)
    page.goto(f"{server_url}{rounds}/summary/", wait_until="domcontentloaded")
    _click(page, "form[data-final-submit] button")
    each_mode([f"{rounds}/result/", f"{rounds}/take/"])
    context.close()
    # The join page of a second contest (this participant's is registered already).
    other_pk, _round = _contest_in_server("JRB")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        locale="zh-CN", bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    each_mode([f"/contests/{other_pk}/join/"])
    context.close()
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
