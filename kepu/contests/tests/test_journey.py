"""The contests journey in a real browser (issue 21): the province officer sets a contest
up on the officers' pages (the contest, a round drawn from the bank by a blueprint row,
published and opened); a person on a 390-px phone finds it, registers (name, phone, city
then county, group, consent to the contest's own notice), answers every question (saved
as they go, without page loads), reviews the summary, submits and sees the result and
rank; the officer closes the round and reads the rankings, the public leaderboard shows
the masked name, a second province officer publishes the results (four-eyes), and the
person downloads the certificate, whose code the public check confirms. No page scrolls
sideways at 390 px; screenshots in `artifacts/`."""

import datetime
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from kepu.contests.tests.helpers import NOTICE
from kepu.core.tests.browser.fixtures import ROOT, SERVER, log_in, shot

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


def _officer(browser, server_url, username):
    context, page = _context(browser, 1366)
    log_in(page, server_url, username)
    page.wait_for_url(re.compile(r".*/workbench/"))
    return context, page


def _ok(page):
    assert page.locator(".empty-title", has_text="500").count() == 0, page.url
    assert page.locator(".alert-danger, .invalid-feedback").count() == 0, (
        page.url,
        page.locator(".alert-danger, .invalid-feedback").all_inner_texts(),
    )


def _query(sql, *args):
    """Reads the server's database (which rows to open; nothing is changed here)."""
    with sqlite3.connect(SERVER["db"]) as db:
        return db.execute(sql, args).fetchall()


def _set_up_on_the_desk(desk, server_url) -> tuple[int, int]:
    """The province officer sets the contest up through the officers' pages: the contest,
    a round of five questions drawn from the bank by a blueprint row, published, opened."""
    now = datetime.datetime.now()
    desk.goto(f"{server_url}/contests/manage/new/", wait_until="domcontentloaded")
    desk.fill("#id_organizer", "四川省科学技术协会")
    desk.fill("#id_title", TITLE)
    desk.fill("#id_year", str(now.year))
    desk.select_option("#id_audience", value="open")
    desk.fill("#id_description", "面向全省居民的网络知识竞赛。")
    desk.fill("#id_rules", "每轮随机抽取题目，限时作答，每人一次机会；按得分、用时、交卷先后排名。")
    desk.fill("#id_notice", NOTICE)
    shot(desk, "e2e-contests-desk-1-contest-form")
    _click(desk, "form button.btn-primary")
    _ok(desk)
    contest_pk = int(re.search(r"/contests/manage/(\d+)/", desk.url).group(1))
    _click(desk, "a[href$='/rounds/new/']")
    desk.select_option("#id_stage", value="prelim")
    desk.fill("#id_title", "线上初赛")
    desk.fill("#id_opens_at", (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    desk.fill("#id_closes_at", (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    desk.select_option(
        "#id_instrument", label=desk.locator("#id_instrument option").nth(1).inner_text()
    )
    desk.fill("#id_questions", str(QUESTIONS))
    desk.fill("#id_points_per_question", "10")
    desk.fill("#id_time_limit", "300")
    desk.fill("#id_min_seconds", "1")
    desk.fill("#id_attempts_allowed", "1")
    knowledge = desk.locator("#id_bp0_dimension option", has_text="知识").first.get_attribute(
        "value"
    )
    desk.select_option("#id_bp0_dimension", value=knowledge)
    desk.fill("#id_bp0_count", str(QUESTIONS + 3))
    shot(desk, "e2e-contests-desk-2-round-form")
    _click(desk, "form button.btn-primary")
    _ok(desk)
    round_pk = int(re.search(r"/contests/rounds/(\d+)/", desk.url).group(1))
    shot(desk, "e2e-contests-desk-2b-round-saved")
    _click(desk, "button[data-step=draw]")
    _ok(desk)
    desk.goto(f"{server_url}/contests/manage/{contest_pk}/", wait_until="domcontentloaded")
    _click(desk, "button[data-step=publish]")
    _ok(desk)
    desk.goto(f"{server_url}/contests/rounds/{round_pk}/", wait_until="domcontentloaded")
    _click(desk, "button[data-step=open]")
    _ok(desk)
    assert desk.locator("[data-round-status]").first.get_attribute("data-round-status") == "open"
    shot(desk, "e2e-contests-desk-3-round-open")
    return contest_pk, round_pk


def test_officer_sets_up_a_contest_a_person_takes_it_then_rankings_and_certificate(
    browser, server_url
):
    desk_context, desk = _officer(browser, server_url, "demo-province")
    contest_pk, round_pk = _set_up_on_the_desk(desk, server_url)

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
    assert phone.locator("[data-my-rank]").inner_text().strip() == "排名：第 1 名"
    _fits(phone)
    shot(phone, "e2e-contests-5-result-phone")
    # Reopening the round after submitting starts nothing new: the round page links the result.
    phone.goto(f"{server_url}/contests/rounds/{round_pk}/take/", wait_until="domcontentloaded")
    assert phone.locator("button[data-start]").count() == 0

    # The officer closes the round; the rankings and the public leaderboard have the person.
    _click(desk, "button[data-step=close]")
    _ok(desk)
    desk.goto(f"{server_url}/contests/rounds/{round_pk}/rankings/", wait_until="domcontentloaded")
    shot(desk, "e2e-contests-desk-4-rankings")
    assert "张小红" in desk.content()  # the organizers see the name (prizes are named)
    phone.goto(
        f"{server_url}/contests/rounds/{round_pk}/leaderboard/", wait_until="domcontentloaded"
    )
    assert "张*" in phone.content() and "张小红" not in phone.content()
    _fits(phone)
    shot(phone, "e2e-contests-6-leaderboard-phone")
    # Four-eyes: another province officer publishes the results.
    desk_context.close()
    desk_context, desk = _officer(browser, server_url, "demo-province-2")
    desk.goto(f"{server_url}/contests/rounds/{round_pk}/rankings/", wait_until="domcontentloaded")
    _click(desk, f"form[action='/contests/rounds/{round_pk}/publish/'] button")
    _ok(desk)
    desk_context.close()

    # The person reads the explanations and downloads the certificate; its code checks out.
    phone.goto(f"{server_url}/contests/rounds/{round_pk}/result/", wait_until="domcontentloaded")
    assert phone.locator("[data-certificate]").count() == 1
    _fits(phone)
    shot(phone, "e2e-contests-7-result-published-phone")
    pdf = phone.request.get(f"{server_url}/contests/rounds/{round_pk}/certificate/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (code,) = _query(
        "SELECT code FROM contests_certificate WHERE round_id = ? AND kind = 'participation'",
        round_pk,
    )[0]
    phone.goto(f"{server_url}/contests/certificates/{code}/", wait_until="domcontentloaded")
    assert "张*" in phone.content() and TITLE in phone.content()
    _fits(phone)
    shot(phone, "e2e-contests-8-certificate-check-phone")
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
