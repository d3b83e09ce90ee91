"""The literacy journey in a real browser (issue 20): 成都市's officer creates a city
round through the pages (create → build the frame → allocate → assemble the forms →
open); a citizen scans a sample point's QR code on a phone (its link, read from the
round's sample points page), consents, answers the demographics and every question,
submits and sees the thank-you page with a receipt; a second submission from the same
phone is refused with a clear message. The interviewers' paper questionnaires come in
as a batch (synthetic respondents through the fielding service: a browser would take
minutes to type 300 of them); the officer closes the round, runs the estimation (a job,
run by the journeys' worker), and the report shows the headline rate with its 95% CI and
the county tile map. The officer who ran the estimation cannot publish it (four eyes);
the province's officer does, and the public page shows the same figures on a phone.
No phone page scrolls sideways at 390 px; screenshots in `artifacts/`."""

import datetime
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from kepu.core.tests.browser.fixtures import ROOT, SERVER, log_in, shot

pytestmark = pytest.mark.browser

NAME = "成都市公民科学素质抽样调查（旅程）"
CONSENT = "本调查由成都市科学技术协会组织，匿名进行，不收集姓名、身份证号和手机号。"
BATCH = 300  # the interviewers' questionnaires, entered as a batch


def _context(browser, width, locale="zh-CN"):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 844},
        is_mobile=width < 500,
        has_touch=width < 500,
        locale=locale,
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


def _go(page, url):
    page.goto(url, wait_until="domcontentloaded")


def _click(page, selector):
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).first.click()


def _ok(page):
    assert page.locator(".alert-danger").count() == 0, page.url
    assert page.locator(".alert-success").count() >= 1, page.url


def _query(sql, *args):
    """Reads the server's database (which rows to open; nothing is changed here)."""
    with sqlite3.connect(SERVER["db"]) as db:
        return db.execute(sql, args).fetchall()


def _now():
    from django.utils import timezone

    return timezone.localtime()


def _create_round(desk, server_url):
    """成都市's officer fills the round form and walks the preparation steps."""
    ((instrument,),) = _query("SELECT id FROM literacy_instrument WHERE code = 'national-2024'")
    now = _now()
    _go(desk, f"{server_url}/literacy/rounds/new/")
    desk.fill("#id_name", NAME)
    desk.select_option("#id_kind", "literacy")
    desk.select_option("#id_instrument", str(instrument))
    desk.fill("#id_year", str(now.year))
    desk.fill("#id_opens_at", (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    desk.fill("#id_closes_at", (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    desk.fill("#id_target_moe", "0.0300")
    desk.fill("#id_min_per_stratum", "10")
    desk.fill("#id_consent_text", CONSENT)
    shot(desk, "e2e-literacy-1-round-form")
    _click(desk, "form.card button.btn-primary")
    assert re.search(r"/literacy/rounds/\d+/$", desk.url), desk.url
    _ok(desk)
    round_url = desk.url
    for step in ("frame", "allocate", "forms", "open"):
        _click(desk, f"button[data-step={step}]")
        _ok(desk)
    assert desk.locator("ol.steps .step-item.active").inner_text().strip() == "调查中"
    assert desk.locator("[data-fielding] tbody tr").count() >= 10  # 成都市's counties
    shot(desk, "e2e-literacy-2-round-open")
    return round_url, int(re.search(r"/rounds/(\d+)/", round_url).group(1))


def _point_link(desk, round_url):
    """The first sample point's link, as printed beside its QR code."""
    _go(desk, f"{round_url}points/")
    link = desk.locator("[data-point-link]").first
    href = link.get_attribute("href")
    assert re.search(r"/survey/p/[\w-]+/$", href), href
    shot(desk, "e2e-literacy-3-sample-points")
    return href


def _answer(phone):
    """Demographics, every question (the first option), consent."""
    phone.fill("#id_age", "34")
    phone.select_option("#id_sex", "f")
    phone.select_option("#id_education", "college")
    phone.select_option("#id_area", "urban")
    phone.select_option("#id_occupation", "professional")
    items = phone.locator("fieldset[data-item]")
    count = items.count()
    assert count >= 20, f"only {count} questions"
    for i in range(count):
        items.nth(i).locator("input").first.check()
    phone.check("#id_consent")
    return count


def _citizen(browser, link):
    ctx, phone = _context(browser, 390)
    _go(phone, link)
    assert phone.locator("[data-survey]").count() == 1, phone.url
    _fits(phone)
    questions = _answer(phone)
    shot(phone, "e2e-literacy-4-questionnaire-phone")
    _click(phone, "form[data-survey] button.btn-primary")
    assert "/thanks/" in phone.url, phone.url
    receipt = phone.locator("[data-receipt] strong").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{12}", receipt), receipt
    _fits(phone)
    shot(phone, "e2e-literacy-5-thanks-phone")

    assert phone.errors == [], phone.errors

    # The same phone again: warned on the page, refused when it submits anyway (the
    # refusal is a 400 page, which the console reports).
    _go(phone, link)
    assert phone.locator(".alert-warning", has_text="已填写过").count() == 1
    _answer(phone)
    _click(phone, "form[data-survey] button.btn-primary")
    error = phone.locator("[data-survey-error]").inner_text()
    assert "已填写过" in error, error
    _fits(phone)
    shot(phone, "e2e-literacy-6-second-refused-phone")
    ctx.close()
    return receipt, questions


def _batch(round_pk):
    """The interviewers' paper questionnaires (synthetic respondents following the
    published pattern), entered through the fielding service in the server's database."""
    db = SERVER["db"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kepu.settings",
        "DATABASE_URL": f"sqlite:///{db}",
        "KEPU_VAR_DIR": str(db.parent),
        "KEPU_HTTPS": "false",
        "KEPU_TASK_BACKEND": "db",
    }
    code = (
        "import datetime\n"
        "from kepu.core import clock\n"
        "from kepu.literacy.demo import respondents\n"
        "from kepu.literacy.models import SurveyRound\n"
        "from kepu.literacy.services import fielding\n"
        f"rnd = SurveyRound.objects.get(pk={round_pk})\n"
        f"rows = respondents(rnd, {BATCH}, seed=7)\n"
        "for i, row in enumerate(rows):\n"
        "    row['submitted_at'] = clock.now() - datetime.timedelta(minutes=60 - i % 50)\n"
        "    row['idem'] = f'journey-{rnd.pk}-{i}'\n"
        "fielding.bulk_responses(rnd, rows, actor=None)\n"
    )
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def _close_and_estimate(desk, server_url, round_url, round_pk):
    _go(desk, round_url)
    assert desk.locator("[data-fielding]").count() == 1
    _click(desk, "button[data-step=close]")
    _ok(desk)
    assert desk.locator("ol.steps .step-item.active").inner_text().strip() == "已结束"
    _click(desk, "a[data-report]")
    report_url = f"{server_url}/literacy/rounds/{round_pk}/report/"
    assert desk.url == report_url, desk.url
    _click(desk, "button[data-estimate]")
    assert re.search(r"/jobs/[0-9a-f-]+/$", desk.url), desk.url
    # The job page follows the worker's progress and moves on to the report when done.
    job_url = desk.url
    desk.wait_for_url(re.compile(rf".*/literacy/rounds/{round_pk}/report/$"), timeout=90_000)
    _go(desk, job_url)
    assert desk.locator("[data-job=status_label]").inner_text().strip() == "已完成"
    shot(desk, "e2e-literacy-7-estimation-job")
    _go(desk, report_url)
    return report_url


def _report(page):
    """The headline rate with its 95% CI, and the county tile map; (rate, low, high)."""
    headline = page.locator("[data-headline]").inner_text().strip()
    assert re.fullmatch(r"\d+(\.\d+)?%", headline), headline
    ci = page.locator("[data-headline] + .small").inner_text()
    found = re.search(r"95%\s*置信区间\s*(\d+(?:\.\d+)?)%\s*[–-]\s*(\d+(?:\.\d+)?)%", ci)
    assert found, ci
    rate, low, high = float(headline[:-1]), float(found.group(1)), float(found.group(2))
    assert low <= rate <= high, (low, rate, high)
    tiles = page.locator("[data-county-map] .kepu-county-tile")
    assert tiles.count() >= 10, tiles.count()  # 成都市's counties
    return rate, low, high


def _publish(desk, other, report_url):
    """Four eyes: the officer who ran the estimation cannot publish; another one does."""
    assert desk.locator("button[data-publish]").count() == 0, "four eyes"
    _go(other, report_url)
    _click(other, "button[data-publish]")
    _ok(other)
    assert other.locator("p .badge", has_text="已发布").count() == 1
    shot(other, "e2e-literacy-9-published")


def test_round_open_citizen_answers_close_estimate_report_publish(browser, server_url):
    desk_ctx, desk = _officer(browser, server_url, "demo-city")
    round_url, round_pk = _create_round(desk, server_url)
    link = _point_link(desk, round_url)
    receipt, questions = _citizen(browser, link)
    ((stored, quality),) = _query(
        "SELECT COUNT(*), MAX(quality) FROM literacy_response WHERE round_id = ?", round_pk
    )
    assert stored == 1, stored  # one response, the refused second one not stored
    assert quality in ("valid", "flagged"), quality

    _batch(round_pk)
    report_url = _close_and_estimate(desk, server_url, round_url, round_pk)
    rate, low, high = _report(desk)
    shot(desk, "e2e-literacy-8-report")

    other_ctx, other = _officer(browser, server_url, "demo-province")
    _publish(desk, other, report_url)
    other_ctx.close()

    # The public page, on a phone, anonymous: the same headline and interval.
    public_ctx, public = _context(browser, 390)
    _go(public, f"{server_url}/science-literacy/{round_pk}/")
    assert _report(public) == (rate, low, high)
    _fits(public)
    shot(public, "e2e-literacy-10-public-report-phone")
    assert public.errors == [], public.errors
    public_ctx.close()
    assert desk.errors == [], desk.errors
    desk_ctx.close()
