"""End-to-end journeys in a real browser."""

import re

import pytest

from kepu.core.tests.browser.fixtures import log_in, shot

pytestmark = pytest.mark.browser


def test_county_officer_dashboard_and_organization(page, server_url):
    log_in(page, server_url, "demo-county-a")
    page.wait_for_url(re.compile(r".*/workbench/"))
    assert "锦江区概览" in page.locator("main").inner_text()  # the figures below the to-do
    page.wait_for_selector("#chart-map canvas")  # ECharts drew the province map
    page.wait_for_selector("#chart-regions canvas")
    page.wait_for_load_state("networkidle")
    assert shot(page, "e2e-county-a-dashboard").stat().st_size > 20_000

    page.click("text=单位名录")
    page.wait_for_url(re.compile(r".*/organizations/"))
    rows = page.locator("table tbody tr")
    # The core demo's five units of 锦江区 and two venues of the bases demo (the unit that
    # applies for recognition, and a named base).
    assert rows.count() == 7
    assert "涪城区" not in page.locator("table").inner_text()
    page.click("table tbody >> text=锦江区科学技术协会")
    assert page.locator("h1.page-title").inner_text() == "锦江区科学技术协会"
    assert "四川省成都市锦江区" in page.locator("dl").inner_text()
    shot(page, "e2e-county-a-organization")
    assert page.console_errors == []


def test_phone_width_and_large_text(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, server_url, "demo-county-a")
    page.goto(f"{server_url}/organizations/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page overflows the phone screen: {width}px"
    page.click("text=大字模式")
    page.wait_for_load_state()
    assert "a11y" in page.locator("body").get_attribute("class")
    shot(page, "e2e-phone-organizations-large-text")
    context.close()


def test_region_cascade_loads_children(page, server_url):
    log_in(page, server_url, "demo-city")
    page.goto(f"{server_url}/organizations/new/")
    picker = page.locator(".kepu-region-picker")
    with page.expect_response(lambda r: "/api/v1/regions/" in r.url and r.ok):
        picker.locator("select").nth(1).select_option("510104")
    # (CSP forbids eval in the page, so wait with locators, not wait_for_function)
    picker.locator("select").nth(2).locator("option").nth(1).wait_for(state="attached")
    picker.locator("select").nth(2).select_option("510104017")
    assert picker.locator("input[type=hidden]").input_value() == "510104017"
    page.fill("#id_name", "浏览器测试单位")
    page.select_option("#id_org_type", "community")
    page.click("form.card button.btn-primary")
    page.wait_for_url(re.compile(r".*/organizations/\d+/"))
    assert "锦官驿街道" in page.locator("dl").inner_text()
