"""A resident opens the home page on a desktop and on a phone, searches from it, opens a
notice; the phone page never scrolls sideways (standard, large text, English)."""

import re

import pytest

from kepu.core.tests.browser.fixtures import shot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url}: {width} px wide at {viewport} px"


def test_home_search_and_a_notice_at_both_widths(browser, server_url):
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    page.goto(f"{server_url}/")
    assert page.locator("#notices-title").is_visible()
    assert page.locator(".kepu-audience").count() == 5
    assert page.locator("#public-menu a", has_text="通知公告").is_visible()
    shot(page, "e2e-portal-home-desktop")
    page.fill("#home-q", "科普")
    page.locator(".kepu-hero-search button").click()
    page.wait_for_url(re.compile(r".*/search/\?q="))
    assert page.locator(".kepu-search-group").count() >= 1
    shot(page, "e2e-portal-search-desktop")
    desk.close()

    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = phone_ctx.new_page()
    phone.goto(f"{server_url}/")
    _no_sideways_scroll(phone)
    # The menu is folded behind its button on a phone, and opens.
    assert not phone.locator("#public-menu").is_visible()
    phone.locator(".kepu-menu-toggler").click()
    phone.locator("#public-menu a", has_text="通知公告").wait_for()
    shot(phone, "e2e-portal-home-phone-menu")
    phone.locator("#public-menu a", has_text="通知公告").click()
    phone.wait_for_url(re.compile(r".*/notices/$"))
    _no_sideways_scroll(phone)
    phone.locator(".list-group-item-action").first.click()
    phone.wait_for_url(re.compile(r".*/notices/\d+/$"))
    assert phone.locator(".kepu-notice-body p").count() >= 1
    _no_sideways_scroll(phone)
    shot(phone, "e2e-portal-notice-phone")

    # Large text, then English: still no sideways scroll on the home and search pages.
    phone.goto(f"{server_url}/")
    phone.locator("form[action='/prefs/accessibility/'] button").click()
    phone.locator("body.a11y").wait_for()
    for path in ("/", "/search/?q=地震", "/notices/"):
        phone.goto(f"{server_url}{path}")
        _no_sideways_scroll(phone)
    shot(phone, "e2e-portal-home-phone-large")
    phone.locator("button[name='language'][value='en']").click()
    phone.wait_for_load_state()
    for path in ("/", "/search/?q=地震", "/notices/"):
        phone.goto(f"{server_url}{path}")
        _no_sideways_scroll(phone)
    shot(phone, "e2e-portal-search-phone-en-large")
    phone_ctx.close()
