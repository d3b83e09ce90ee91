"""A member unit applies for a venue, the province checks it and sends it to an expert,
the expert reviews it for scientific accuracy on a phone, the province publishes it, it
shows on the youth menu and on the map, and then it is withdrawn and leaves both. Every
step is on the audit trail."""

import json
import re
import sqlite3
import time

import pytest

from kepu.core.tests.browser.fixtures import SERVER, log_in, shot

pytestmark = pytest.mark.browser

TITLE = "旅程测试青少年航天科普馆"
POINTS = "/catalog/map/points.json?group=youth&region=510104"


def _eventually_false(check, seconds=10.0) -> bool:
    """True once `check()` is false, asked again for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def _audit_actions(resource_id):
    with sqlite3.connect(SERVER["db"]) as db:
        rows = db.execute(
            "SELECT action FROM core_auditentry WHERE object_type = 'resources.resource' "
            "AND object_id = ?",
            (str(resource_id),),
        ).fetchall()
    return {r[0] for r in rows}


def test_a_venue_from_application_to_withdrawal(browser, server_url):
    desk = browser.new_context(viewport={"width": 1366, "height": 900})

    # The education department applies for its venue.
    member = desk.new_page()
    log_in(member, server_url, "demo-member")
    member.goto(f"{server_url}/resources/new/")
    shot(member, "e2e-res-type-choice")
    member.goto(f"{server_url}/resources/new/?type=place")
    member.fill("#id_title", TITLE)
    member.fill("#id_summary", "面向中小学生的航天主题科普馆，设有火箭发射模拟舱。")
    member.select_option("#id_place_kind", "sciencemuseum")
    picker = member.locator(".kepu-region-picker")
    for level, code in ((0, "51"), (1, "5101")):
        if picker.locator("select").nth(level).input_value() != code:
            with member.expect_response(lambda r: "/api/v1/regions/" in r.url and r.ok):
                picker.locator("select").nth(level).select_option(code)
        picker.locator("select").nth(level + 1).locator("option").nth(1).wait_for(state="attached")
    picker.locator("select").nth(2).select_option("510104")
    member.fill("#id_address", "成都市锦江区科技路8号")
    member.fill("#id_latitude", "30.6400")
    member.fill("#id_longitude", "104.0900")
    member.check("input[name='groups'][value='youth']")
    member.check("input[name='topics'][value='space']")
    shot(member, "e2e-res-form")
    member.get_by_role("button", name="保存并提交").click()
    member.wait_for_url(re.compile(r".*/resources/\d+/$"))
    resource_id = int(re.search(r"/resources/(\d+)/", member.url).group(1))
    assert "待形式审查" in member.content()

    # The province checks it is complete and sends it to the demo expert.
    office = browser.new_context(viewport={"width": 1366, "height": 900})
    province = office.new_page()
    log_in(province, server_url, "demo-province")
    province.goto(f"{server_url}/resources/{resource_id}/check/")
    province.locator("label.form-check", has_text="周明远").locator("input").check()
    shot(province, "e2e-res-check")
    province.get_by_role("button", name="保存审查结果").click()
    province.wait_for_url(re.compile(rf".*/resources/{resource_id}/$"))
    assert "科学性审核中" in province.content()

    # The expert reviews it on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    expert = phone.new_page()
    log_in(expert, server_url, "demo-expert")
    expert.goto(f"{server_url}/resources/reviews/")
    expert.get_by_role("link", name=TITLE).first.click()
    expert.wait_for_url(re.compile(r".*/resources/reviews/\d+/$"))
    for name in ("facts_correct", "sources_reliable", "fits_audience"):
        # Tabler select-groups: the label is what a finger taps.
        expert.locator(f"label:has(input[name='{name}'][value='yes'])").click()
    expert.locator("label:has(input[name='verdict'][value='accurate'])").click()
    expert.fill("textarea[name='comments']", "内容准确，适合青少年。")
    shot(expert, "e2e-res-expert-phone")
    expert.get_by_role("button", name="提交审核意见").click()
    expert.wait_for_load_state()
    assert "您的审核意见已提交" in expert.content()

    # The province publishes it.
    province.goto(f"{server_url}/resources/{resource_id}/")
    province.check("input[name='decision'][value='publish']")
    province.get_by_role("button", name="保存处理决定").click()
    province.wait_for_url(re.compile(rf".*/resources/{resource_id}/$"))
    content = province.content()
    assert "已发布入名录" in content
    listing = re.search(r"KP51-\d{4}-C\d{6}", content)
    assert listing, "no listing number on the detail page"
    shot(province, "e2e-res-published")

    # The public finds it on the youth menu of county A and on the map.
    public = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    citizen = public.new_page()
    citizen.goto(f"{server_url}/catalog/groups/youth/?region=510104&topic=space")
    assert TITLE in citizen.content()
    shot(citizen, "e2e-res-menu-youth")
    citizen.goto(f"{server_url}/catalog/map/?group=youth&region=510104")
    citizen.wait_for_selector("#resource-map canvas", timeout=15000)
    points = json.loads(
        citizen.evaluate(f"async () => (await fetch('{POINTS}', {{cache: 'no-store'}})).text()")
    )
    assert TITLE in [p["title"] for p in points["points"]]
    shot(citizen, "e2e-res-map")

    # The province withdraws it: it leaves the menu and the map.
    province.goto(f"{server_url}/resources/{resource_id}/")
    province.locator("summary", has_text="撤销").first.click()
    province.fill("#id_reason_withdraw", "场馆已关闭")
    province.get_by_role("button", name=re.compile("确认：")).click()
    province.wait_for_url(re.compile(rf".*/resources/{resource_id}/$"))
    assert "已撤销" in province.content()

    # Public pages come from the shared cache: the change shows once the page has been
    # made again in the background (a visit after the withdrawal starts it).
    def menu_shows_it():
        citizen.goto(f"{server_url}/catalog/groups/youth/?region=510104&topic=space")
        return TITLE in citizen.content()

    def map_shows_it():
        points = json.loads(
            citizen.evaluate(f"async () => (await fetch('{POINTS}', {{cache: 'no-store'}})).text()")
        )
        return TITLE in [p["title"] for p in points["points"]]

    assert _eventually_false(menu_shows_it)
    assert _eventually_false(map_shows_it)

    assert {
        "resources.resource.created",
        "resources.resource.submitted",
        "resources.resource.checked",
        "resources.resource.published",
        "resources.resource.withdrawn",
    } <= _audit_actions(resource_id)
    with sqlite3.connect(SERVER["db"]) as db:
        filed = db.execute(
            "SELECT count(*) FROM core_auditentry WHERE action = 'resources.reviewassignment.filed'"
            " AND detail IS NOT NULL AND object_repr LIKE ?",
            (f"{TITLE}%",),
        ).fetchone()[0]
    assert filed == 1
