"""The science-education base journey in a real browser (issue 23): the province opens a
recognition round; 锦江区青少年科技馆 applies on a phone; 锦江区 recommends it; another
province officer does the formal check; the panel is drawn, the demo expert scores on a
phone and the officers record the paper sheets; the candidates go on public notice; once
it is over the bases are named and the certificate is issued; the new base files its
annual self-report on a phone and 锦江区 accepts it; the province evaluates the batch
(computed by the worker) and publishes; a subsidy round for the year shares its budget
by formula, and a second officer approves it. No page scrolls sideways at 390 px;
screenshots in `artifacts/`."""

import datetime
import re
import sqlite3
import time

import pytest

from kepu.core.tests.browser.fixtures import SERVER, log_in, shot

pytestmark = pytest.mark.browser

UNIT = "锦江区青少年科技馆"
BASE_NAME = "锦江区青少年科技馆科普教育基地"
TITLE = "2026年度四川省科普教育基地认定（第二批）"
BATCH = "2026年度四川省科普教育基地（第二批）"
PREFIX = "SCKP-2026B-"
EXPERT = "周明远"
YEAR = 2026
VISITORS = 160000
BUDGET = 200000
SUBSIDY = "2026年度新命名省级科普教育基地运行补助"
SCORES = {"conditions": "26", "organization": "17", "activities": "26", "results": "17"}


def _context(browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 844},
        is_mobile=width < 500,
        locale="zh-CN",
    )
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


def _fits(page):
    used = page.evaluate("document.documentElement.scrollWidth")
    width = page.viewport_size["width"]
    assert used <= width, f"{page.url}: {used} px wide at {width} px"


def _officer(browser, server_url, username):
    context, page = _context(browser, 1366)
    log_in(page, server_url, username)
    page.wait_for_url(re.compile(r".*/workbench/"))
    return context, page


def _save(page, selector="form.card button.btn-primary"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def _advance(page, round_url, status):
    page.goto(round_url)
    _save(page, "form[action$='/advance/'] button")
    assert page.locator(f"[data-round-status={status}]").count() == 1, page.url


def _round_id(url):
    return int(re.search(r"/recognition/rounds/(\d+)/", url).group(1))


def _publicity_is_over(round_id):
    """The 公示 is over (seven working days, nobody objected): its period is moved back
    into the past in the server's database, ending yesterday at the latest."""
    from kepu.bases.services.recognition_review import publicity_end

    start = _today() - datetime.timedelta(days=16)
    end = publicity_end(start, 7, True)
    assert end < _today()
    with sqlite3.connect(SERVER["db"]) as db:
        db.execute(
            "UPDATE bases_recognitionround SET publicity_from = ?, publicity_to = ? WHERE id = ?",
            (start.isoformat(), end.isoformat(), round_id),
        )


def _today():
    """The server's date (the platform's time zone, not the machine's)."""
    from django.utils import timezone

    return timezone.localdate()


def _open_round(desk, server_url):
    """The province opens a round whose dates make each step possible today."""
    today = _today()
    desk.goto(f"{server_url}/recognition/rounds/new/")
    desk.fill("#id_title", TITLE)
    desk.fill("#id_year", "2026")
    desk.fill("#id_batch", BATCH)
    desk.fill("#id_number_prefix", PREFIX)
    desk.select_option("#id_rubric", label="四川省科普教育基地认定评分细则（2024版）")
    desk.select_option("#id_pool", label="四川省科普专家库")
    desk.fill("#id_opens_on", (today - datetime.timedelta(days=1)).isoformat())
    desk.fill("#id_closes_on", (today + datetime.timedelta(days=20)).isoformat())
    desk.fill("#id_recommend_by", (today + datetime.timedelta(days=30)).isoformat())
    desk.fill("#id_panel_size", "3")
    desk.fill("#id_publicity_days", "7")
    shot(desk, "e2e-bases-1-round-form")
    _save(desk)
    assert re.search(r"/recognition/rounds/\d+/$", desk.url), desk.url
    round_url = desk.url
    _advance(desk, round_url, "open")
    return round_url


def _apply(browser, server_url, round_url):
    """The venue's staff applies on a phone."""
    ctx, unit = _context(browser, 390)
    log_in(unit, server_url, "demo-venue")
    unit.wait_for_load_state()
    unit.goto(round_url)
    _fits(unit)
    with unit.expect_navigation():
        unit.locator("a[href$='/apply/']").click()
    unit.fill("#id_name", BASE_NAME)
    unit.select_option("#id_category", "venue")
    unit.check("#id_legal_person")
    unit.fill("#id_years_open", "12")
    unit.fill("#id_open_days", "300")
    unit.fill("#id_area_m2", "3200")
    unit.fill("#id_staff", "18")
    unit.fill("#id_docents", "12")
    unit.fill("#id_visitors", "150000")
    unit.fill("#id_statement", "面向全区中小学生开放科学实验室和机器人工作坊，每年举办科技节。")
    _fits(unit)
    shot(unit, "e2e-bases-2-apply-phone")
    _save(unit)
    assert re.search(r"/recognition/applications/\d+/$", unit.url), unit.url
    application_url = unit.url
    _fits(unit)
    ctx.close()
    return application_url


def _recommend(browser, server_url, application_url):
    """锦江区's officer recommends it."""
    ctx, county = _officer(browser, server_url, "demo-county-a")
    county.goto(f"{server_url}/recognition/recommend/")
    row = county.locator("tr", has_text=BASE_NAME)
    with county.expect_navigation():
        row.locator("a[href$='/recommend/']").click()
    county.locator("input[name=recommended][value=yes]").check()
    county.fill("#id_opinion", "该馆设施完善、活动常态化，同意推荐。")
    county.fill("#id_rank", "1")
    shot(county, "e2e-bases-3-recommend")
    _save(county)
    county.goto(application_url)
    assert county.locator("body", has_text="同意推荐").count() == 1
    ctx.close()


def _check(desk, server_url, round_url):
    """The round closes applications and recommendation; the formal check, all items met."""
    _advance(desk, round_url, "recommending")
    _advance(desk, round_url, "checking")
    desk.goto(f"{server_url}/recognition/checks/")
    with desk.expect_navigation():
        desk.locator("tr", has_text=BASE_NAME).locator("a[href$='/check/']").click()
    for radio in desk.locator("input[type=radio][value=pass]").all():
        radio.check()
    shot(desk, "e2e-bases-4-formal-check")
    _save(desk)
    _advance(desk, round_url, "reviewing")


def _draw_panel(desk, round_url):
    """The panel is drawn at random from the pool; the journey draws again (allowed until
    a score is in) until the demo expert, who scores online, is on it."""
    desk.goto(f"{round_url}panel/")
    for _ in range(400):
        with desk.expect_navigation():
            desk.locator("form button.btn-primary").first.click()
        if desk.locator(".list-group-item", has_text=EXPERT).count():
            break
    assert desk.locator(".list-group-item", has_text=EXPERT).count() == 1
    shot(desk, "e2e-bases-5-panel")


def _score(page, comment):
    for code, value in SCORES.items():
        page.fill(f"#id_{code}", value)
    page.fill("#id_comment", comment)


def _expert_scores(browser, server_url):
    ctx, expert = _context(browser, 390)
    log_in(expert, server_url, "demo-expert")
    expert.wait_for_load_state()
    expert.goto(f"{server_url}/recognition/sheets/")
    _fits(expert)
    with expert.expect_navigation():
        expert.locator("tr", has_text=BASE_NAME).locator("a[href*='/sheets/']").first.click()
    _score(expert, "场馆条件好，青少年活动有特色。")
    _fits(expert)
    shot(expert, "e2e-bases-6-score-sheet-phone")
    _save(expert)
    assert expert.locator(".alert-success").count() >= 1
    ctx.close()


def _paper_sheets(desk, server_url):
    """The officer records the paper sheets of the experts without an account."""
    for _ in range(30):
        desk.goto(f"{server_url}/recognition/sheets/")
        todo = desk.locator("tr", has_text=BASE_NAME).locator("a.btn-primary[href*='/sheets/']")
        if todo.count() == 0:
            break
        with desk.expect_navigation():
            todo.first.click()
        _score(desk, "纸质评分表录入。")
        _save(desk)


def _publicity_and_naming(desk, server_url, round_url):
    desk.goto(f"{round_url}ranking/")
    assert desk.locator("tr", has_text=BASE_NAME).locator("text=86").count() >= 1
    desk.fill("#id_cutoff", "70")
    shot(desk, "e2e-bases-7-ranking")
    _save(desk)
    assert desk.locator("[data-round-status=publicity]").count() == 1
    desk.goto(f"{server_url}/bases/publicity/{_round_id(round_url)}/")
    assert desk.locator("body", has_text=BASE_NAME).count() >= 1
    shot(desk, "e2e-bases-8-publicity")
    _publicity_is_over(_round_id(round_url))
    desk.goto(f"{round_url}naming/")
    desk.fill("#id_decided_on", _today().isoformat())
    _save(desk)
    assert desk.locator("[data-round-status=named]").count() == 1
    shot(desk, "e2e-bases-9-named")


def _report_window(desk, server_url):
    """The province opens the reports on 2026 today (the new base reports on its year)."""
    desk.goto(f"{server_url}/bases/reports/deadline/")
    desk.fill("#id_year", str(YEAR))
    desk.fill("#id_starts_on", _today().isoformat())
    desk.fill("#id_working_days", "20")
    _save(desk)
    assert desk.locator(".alert-success").count() >= 1


def _annual_report(browser, server_url):
    """The new base files its self-report on a phone."""
    ctx, unit = _context(browser, 390)
    log_in(unit, server_url, "demo-venue")
    unit.wait_for_load_state()
    unit.goto(f"{server_url}/bases/reports/?year={YEAR}")
    _fits(unit)
    item = unit.locator(".list-group-item", has_text=BASE_NAME)
    with unit.expect_navigation():
        item.locator("form[action*='/reports/start/'] button").click()
    assert re.search(r"/bases/reports/\d+/edit/$", unit.url), unit.url
    figures = {
        "open_days": "300", "visitors": str(VISITORS), "students": "90000",
        "free_admissions": "150000", "activities_held": "48", "activities_published": "40",
        "exhibits_total": "120", "exhibits_renewed": "30", "volunteers": "60",
        "budget": "80", "safety_inspections": "12",
    }  # fmt: skip
    for name, value in figures.items():
        unit.fill(f"#id_{name}", value)
    unit.fill("#id_activities", "全年举办科技节、机器人工作坊和科学实验课48场。")
    unit.fill("#id_safety", "每月安全检查，全年无安全事故。")
    unit.fill("#id_problems", "展品更新资金不足。")
    unit.fill("#id_plans", "明年更新人工智能展区。")
    _fits(unit)
    shot(unit, "e2e-bases-11-annual-report-phone")
    _save(unit)
    report_url = unit.url
    with unit.expect_navigation():
        unit.locator("form[action$='/submit/'] button").click()
    assert unit.locator(".alert-success").count() >= 1
    _fits(unit)
    shot(unit, "e2e-bases-12-report-submitted-phone")
    ctx.close()
    return report_url


def _accept_report(browser, server_url, report_url):
    ctx, county = _officer(browser, server_url, "demo-county-a")
    county.goto(report_url)
    with county.expect_navigation():
        county.locator("form[action$='/accept/'] button").click()
    assert county.locator(".alert-success").count() >= 1
    shot(county, "e2e-bases-13-report-accepted")
    ctx.close()


def _wait_for_job(page, round_url):
    for _ in range(240):  # the worker polls; the machine may be busy
        page.goto(round_url)
        if page.locator("tr", has_text=BASE_NAME).count():
            return
        time.sleep(0.5)
    raise AssertionError("the evaluation was not computed")


def _evaluate(desk, server_url):
    """The province evaluates the new batch on 2026; the worker computes; it publishes."""
    desk.goto(f"{server_url}/bases/evaluations/new/")
    desk.select_option("#id_kind", "annual")
    desk.fill("#id_year", str(YEAR))
    desk.select_option("#id_level", "provincial")
    desk.fill("#id_batch", BATCH)
    desk.select_option("#id_rubric", label="四川省科普教育基地年度评估细则（2025版）")
    shot(desk, "e2e-bases-14-evaluation-form")
    _save(desk)
    assert re.search(r"/bases/evaluations/\d+/$", desk.url), desk.url
    round_url = desk.url
    with desk.expect_navigation():
        desk.locator("form[action$='/compute/'] button").click()
    _wait_for_job(desk, round_url)
    row = desk.locator("tr", has_text=BASE_NAME)
    if row.locator(".badge", has_text="未完成评分").count() or row.locator(".bg-yellow-lt").count():
        with desk.expect_navigation():
            row.locator("a[href*='/evaluations/results/']").click()
        for field in desk.locator("form.card input[type=number]").all():
            field.fill(field.get_attribute("max") or "5")
        _save(desk)
        desk.goto(round_url)
        with desk.expect_navigation():
            desk.locator("form[action$='/compute/'] button").click()
        _wait_for_job(desk, round_url)
    with desk.expect_navigation():
        desk.locator("form[action$='/publish/'] button").click()
    row = desk.locator("tr", has_text=BASE_NAME)
    total = row.locator("td").nth(1).inner_text().strip()
    grade = row.locator("td").nth(2).inner_text().strip()
    assert total not in ("", "—") and grade not in ("", "—")
    assert row.locator("td").nth(3).inner_text().strip() == f"{VISITORS:,}"  # the report's
    shot(desk, "e2e-bases-15-evaluation-published")
    return total, grade


def _subsidy(browser, desk, server_url, total):
    """A subsidy round for 2026's evaluation: the preview gives the base its amount and
    adds up to the budget; submitted, then approved by another officer."""
    desk.goto(f"{server_url}/bases/subsidies/new/")
    desk.fill("#id_name", SUBSIDY)
    desk.fill("#id_year", str(YEAR))
    desk.fill("#id_budget", str(BUDGET))
    desk.locator("input[name=levels][value=provincial]").check()
    desk.locator("input[name=categories][value=venue]").check()
    desk.fill("#id_base_amount", "0")
    desk.fill("#id_score_weight", "70")
    desk.fill("#id_visitor_weight", "30")
    shot(desk, "e2e-bases-16-subsidy-form")
    _save(desk)
    assert re.search(r"/bases/subsidies/\d+/$", desk.url), desk.url
    subsidy_url = desk.url
    row = desk.locator("tr", has_text=BASE_NAME)
    assert row.locator("td").nth(1).inner_text().startswith(total)
    assert row.locator("td").nth(2).inner_text().strip() == f"{VISITORS:,}"
    assert row.locator("td").nth(3).inner_text().replace(",", "") == str(BUDGET)
    assert desk.locator(".card-header", has_text=f"{BUDGET:,}").count() >= 1
    shot(desk, "e2e-bases-17-subsidy-preview")
    with desk.expect_navigation():
        desk.locator("form[action$='/submit/'] button").click()
    assert desk.locator("form[action$='/approve/']").count() == 0  # four eyes

    ctx, other = _officer(browser, server_url, "demo-province-2")
    other.goto(subsidy_url)
    with other.expect_navigation():
        other.locator("form[action$='/approve/'] button").click()
    assert other.locator(".alert-success").count() >= 1
    row = other.locator("tr", has_text=BASE_NAME)
    assert row.locator("td").nth(3).inner_text().replace(",", "") == str(BUDGET)
    shot(other, "e2e-bases-18-subsidy-approved")
    ctx.close()


def test_apply_recommend_check_score_name_report_evaluate_subsidize(browser, server_url):
    desk_ctx, desk = _officer(browser, server_url, "demo-province")
    round_url = _open_round(desk, server_url)
    application_url = _apply(browser, server_url, round_url)
    _recommend(browser, server_url, application_url)
    _check(desk, server_url, round_url)
    _draw_panel(desk, round_url)
    _expert_scores(browser, server_url)
    _paper_sheets(desk, server_url)
    _publicity_and_naming(desk, server_url, round_url)

    # The certificate of the new base.
    desk.goto(application_url)
    link = desk.locator("a[href*='/recognition/certificates/']")
    assert link.count() == 1
    response = desk.request.get(server_url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert desk.locator("body", has_text=f"{PREFIX}001").count() >= 1
    shot(desk, "e2e-bases-10-application-named")

    # The new base's first year: its self-report, the evaluation, the subsidy.
    _report_window(desk, server_url)
    report_url = _annual_report(browser, server_url)
    _accept_report(browser, server_url, report_url)
    total, _grade = _evaluate(desk, server_url)
    _subsidy(browser, desk, server_url, total)
    desk_ctx.close()
