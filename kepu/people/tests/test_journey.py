"""A volunteer applies on the public form, the county officer certifies, the count moves."""

import re

import pytest

from kepu.core.tests.browser.fixtures import log_in, shot
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.browser


def volunteers(page, base):
    page.goto(f"{base}/people/stats/?region=510104")

    card = page.locator(".card-body", has_text="志愿者").first
    return int(card.locator(".kepu-kpi").inner_text().replace(",", ""))


def test_volunteer_registers_and_county_certifies(browser, server_url):
    public = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = public.new_page()
    page.goto(f"{server_url}/join/volunteer/")
    page.fill("#id_name", "浏览器志愿者")
    page.fill("#id_id_number", valid_id("51010420000606004"))
    page.fill("#id_phone", "13512345678")
    picker = page.locator(".kepu-region-picker")
    for level, code in enumerate(("51", "5101", "510104")):
        with page.expect_response(lambda r: "/api/v1/regions/" in r.url and r.ok):
            picker.locator("select").nth(level).select_option(code)
        # (CSP forbids eval in the page, so wait with locators, not wait_for_function)
        picker.locator("select").nth(level + 1).locator("option").nth(1).wait_for(state="attached")
    page.check("#id_consent")
    shot(page, "e2e-join-volunteer-phone")
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r".*/join/status/.+/"))
    assert "待审核" in page.locator("main").inner_text()
    status_url = page.url
    public.close()

    officer = browser.new_context(viewport={"width": 1366, "height": 900})
    page = officer.new_page()
    log_in(page, server_url, "demo-county-a")
    page.wait_for_url(re.compile(r".*/workbench/"))
    before = volunteers(page, server_url)
    page.goto(f"{server_url}/people/review/")
    row = page.locator("tr", has_text="浏览器志愿者")
    shot(page, "e2e-review-queue")
    row.locator("button", has_text="认证").click()
    page.wait_for_load_state()
    assert volunteers(page, server_url) == before + 1
    shot(page, "e2e-people-stats")
    page.goto(status_url)
    assert "已认证" in page.locator("main").inner_text()
    officer.close()
