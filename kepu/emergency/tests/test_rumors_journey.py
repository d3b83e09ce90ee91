"""A resident reports a rumour on a phone; an officer finds the lead, triages it and
drafts the rebuttal on a desktop; the public library opens on a phone. No page scrolls
sideways at 390 px."""

import re

import pytest

from kepu.core.tests.browser.fixtures import log_in, shot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url}: {width} px wide at {viewport} px"


def test_report_triage_and_draft(browser, server_url):
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = phone_ctx.new_page()
    phone.goto(f"{server_url}/emergency/report/")
    _no_sideways_scroll(phone)
    phone.fill("#id_claim", "浏览器测试：听说明天全市停水三天")
    phone.select_option("#id_topic", "health")
    phone.locator(".kepu-region-level").first.select_option(index=1)
    shot(phone, "e2e-rumor-report-phone")
    phone.locator("form button.btn-primary").click()
    phone.wait_for_load_state()
    assert phone.locator(".alert-success, .alert").first.is_visible()
    shot(phone, "e2e-rumor-report-done-phone")
    phone.goto(f"{server_url}/emergency/rebuttals/")
    _no_sideways_scroll(phone)
    shot(phone, "e2e-rebuttal-library-phone")
    phone_ctx.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    log_in(page, server_url, "demo-province")
    page.goto(f"{server_url}/rumors/?q=停水")
    row = page.locator("table a", has_text="浏览器测试")
    row.first.click()
    page.wait_for_url(re.compile(r".*/rumors/\d+/$"))
    page.select_option("#id_decision", "needs_rebuttal")
    shot(page, "e2e-rumor-triage-desktop")
    page.locator("form[action$='/triage/'] button").click()
    page.wait_for_url(re.compile(r".*/rumors/\d+/$"))
    page.locator("a[href$='/rebuttal/']").click()
    page.fill("#id_title", "全市停水三天？不实")
    page.fill("#id_body", "经核实，供水正常。")
    page.locator("form button.btn-primary").click()
    page.wait_for_url(re.compile(r".*/rebuttals/\d+/$"))
    shot(page, "e2e-rebuttal-detail-desktop")
    page.goto(f"{server_url}/rumors/trends/")
    shot(page, "e2e-rumor-trends-desktop")
    desk.close()
