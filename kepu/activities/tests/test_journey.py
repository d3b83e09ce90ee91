"""An organizer submits an activity, county A approves it, a citizen signs up on a phone
and is checked in at the door, the report is filed, and the statistics count it."""

import datetime
import re
import sqlite3

import pytest

from kepu.core.tests.browser.fixtures import SERVER, log_in, shot

pytestmark = pytest.mark.browser
TITLE = "浏览器旅程：机器人科普开放日"


def onsite(page, base):
    page.goto(f"{base}/activities/stats/?region=510104")
    card = page.locator(".card-body", has_text="现场受众人次").first
    return int(card.locator(".kepu-kpi").inner_text().replace(",", ""))


def test_activity_from_draft_to_statistics(browser, server_url):
    start = datetime.datetime.now() + datetime.timedelta(days=2)
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    log_in(page, server_url, "demo-member")
    page.goto(f"{server_url}/activities/new/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "open_day")
    page.check("input[name=groups][value=youth]")
    page.check("input[name=topics][value=ai]")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT11:30"))
    picker = page.locator(".kepu-region-picker")
    for level, code in ((1, "5101"), (2, "510104")):
        with page.expect_response(lambda r: "/api/v1/regions/" in r.url and r.ok):
            picker.locator("select").nth(level).select_option(code)
        picker.locator("select").nth(level + 1).locator("option").nth(1).wait_for(state="attached")
    page.fill("#id_address", "锦江区科技馆一楼")
    page.check("#id_signup_required")
    page.fill("#id_capacity", "40")
    page.fill("#id_expected_audience", "120")
    shot(page, "e2e-activity-form")
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r".*/activities/\d+/$"))
    detail_url = page.url
    page.click("button:has-text('提交审核')")
    page.wait_for_load_state()
    assert "待审核" in page.locator("main").inner_text()
    desk.close()

    officer = browser.new_context(viewport={"width": 1366, "height": 900})
    page = officer.new_page()
    log_in(page, server_url, "demo-county-a")
    page.wait_for_url(re.compile(r".*/workbench/"))
    before = onsite(page, server_url)
    page.goto(f"{server_url}/activities/review/")
    card = page.locator(".card", has_text=TITLE)
    shot(page, "e2e-activity-review-queue")
    card.locator("button", has_text="通过").first.click()
    page.wait_for_load_state()
    page.goto(detail_url)
    assert "已通过并发布" in page.locator("main").inner_text()
    event_id = re.search(r"/activities/(\d+)/", detail_url).group(1)

    citizen = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = citizen.new_page()
    phone.goto(f"{server_url}/events/")
    phone.click(f"text={TITLE}")
    phone.fill("#id_name", "李小明")
    phone.fill("#id_phone", "13612345678")
    phone.select_option("#id_key_group", "youth")
    phone.check("#id_consent")
    shot(phone, "e2e-activity-signup-phone")
    phone.click("form button.btn-primary")
    phone.wait_for_url(re.compile(r".*/events/ticket/.+/"))
    code = phone.locator(".kepu-ticket-code").inner_text().strip()
    assert phone.locator(".kepu-ticket-qr svg").count() == 1
    shot(phone, "e2e-activity-ticket-phone")
    ticket_url = phone.url

    page.goto(f"{server_url}/activities/{event_id}/checkin/")
    page.fill("#id_code", code.lower())
    page.click("#checkin-form button")
    page.locator("#checkin-result .alert-success").wait_for()
    assert "李小明" in page.locator("#checkin-result").inner_text()
    page.fill("#id_code", code)
    page.click("#checkin-form button")
    page.locator("#checkin-result .alert-danger").wait_for()
    assert page.locator("#count-arrived").inner_text() == "1"
    shot(page, "e2e-activity-checkin")
    phone.goto(ticket_url)
    assert "已于" in phone.locator("main").inner_text()
    citizen.close()

    # The day after: move the event into the past in the server's database.
    with sqlite3.connect(SERVER["db"]) as db:
        db.execute(
            "UPDATE activities_activity SET starts_at = datetime(starts_at, '-3 days'), "
            "ends_at = datetime(ends_at, '-3 days') WHERE id = ?",
            (int(event_id),),
        )
    page.goto(detail_url)
    page.click("a:has-text('提交活动总结')")
    page.fill("#id_onsite_attendance", "96")
    page.fill("#id_online_views", "300")
    page.fill("#id_summary", "开放日顺利举行，机器人互动体验受欢迎。")
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r".*/activities/\d+/$"))
    assert "现场参与人次" in page.locator("main").inner_text()
    assert onsite(page, server_url) == before + 96
    shot(page, "e2e-activity-stats")
    officer.close()
