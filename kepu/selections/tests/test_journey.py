"""The selections journey in a real browser (issue 24): 四川省 opens a 天府科普使者 call;
锦江区's officer nominates one of its people on a phone; another province officer does
the formal check and opens the expert review; the reviewers are assigned automatically
(the demo expert gets the entry, by the audited override if the solver chose someone
else); the demo expert scores on a phone; the ranking (raw and corrected) is stored, the
review closed, the candidates go on public notice; once it is over a second officer
publishes the results (four eyes). The honour is in the person's record, the plan target
that counts 天府科普使者 moves by one, and the certificate checks out publicly. No phone
page scrolls sideways at 390 px; screenshots in `artifacts/`."""

import datetime
import re
import sqlite3

import pytest

from kepu.core.tests.browser.fixtures import SERVER, log_in, shot

pytestmark = pytest.mark.browser

TITLE = "“天府科普使者”增补推选"
PREFIX = "TFSZ-2026B-"
EXPERT = "周明远"
RUBRIC = "天府科普使者评选评分细则"
POOL = "四川省科普专家库"
DECISION = "川科协〔2026〕88号"


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


def _phone(browser, server_url, username):
    context, page = _context(browser, 390)
    log_in(page, server_url, username)
    page.wait_for_load_state()
    return context, page


def _go(page, url):
    page.goto(url, wait_until="domcontentloaded")


def _save(page, selector="form.card button.btn-primary"):
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).first.click()


def _ok(page):
    assert page.locator(".alert-success").count() >= 1, page.url
    assert page.locator(".alert-danger").count() == 0, page.url


def _today():
    """The server's date (the platform's time zone, not the machine's)."""
    from django.utils import timezone

    return timezone.localdate()


def _query(sql, *args):
    """Reads the server's database (which rows to open; nothing is changed here)."""
    with sqlite3.connect(SERVER["db"]) as db:
        return db.execute(sql, args).fetchall()


def _nominee():
    """A person of 锦江区 the call accepts: no open disciplinary flag, no entry elsewhere
    this year, not an expert of the pool (who would be avoided), not yet an envoy."""
    rows = _query(
        """SELECT p.id, p.name FROM people_person p JOIN core_region r ON r.id = p.region_id
           WHERE r.name = '锦江区' AND p.erased_at IS NULL AND p.user_id IS NULL
             AND p.id NOT IN (SELECT person_id FROM selections_disciplinaryflag)
             AND p.id NOT IN (SELECT person_id FROM selections_entry
                              WHERE person_id IS NOT NULL)
             AND p.id NOT IN (SELECT person_id FROM people_honouraward)
             AND p.id NOT IN (SELECT person_id FROM people_poolmembership)
           ORDER BY p.id"""
    )
    names = [name for _pk, name in rows]
    for pk, name in rows:
        if names.count(name) == 1:  # found by name alone
            return pk, name
    raise AssertionError("no eligible person of 锦江区 in the demo")


def _envoy_target(desk, server_url):
    """The Sichuan talent plan's target counting 天府科普使者: its actual value."""
    (pk,) = _query("SELECT id FROM plans_target WHERE indicator = 'people.tianfu_envoys'")[0]
    _go(desk, f"{server_url}/plans/targets/{pk}/")
    actual = desk.locator(".kepu-target-figures .kepu-kpi").first.inner_text()
    return pk, int(actual.replace(",", "").strip())


def _selection_year() -> int:
    """The selection's year: this year, or the last year of the talent plan's target when
    that is over (a 2025 selection decided in 2026 counts towards the 2025 target), so
    the journey sees the plan figure move."""
    ((deadline,),) = _query(
        "SELECT deadline FROM plans_target WHERE indicator = 'people.tianfu_envoys'"
    )
    return min(_today().year, datetime.date.fromisoformat(deadline).year)


def _open_call(desk, server_url):
    today = _today()
    _go(desk, f"{server_url}/selections/calls/new/")
    desk.fill("#id_title", TITLE)
    desk.select_option("#id_kind", "honour")
    desk.fill("#id_year", str(_selection_year()))
    desk.select_option("#id_honour", "tianfu")
    desk.select_option("#id_subject_kind", "person")
    desk.fill("#id_opens_on", (today - datetime.timedelta(days=1)).isoformat())
    desk.fill("#id_closes_on", (today + datetime.timedelta(days=20)).isoformat())
    desk.select_option("#id_rubric", label=RUBRIC)
    desk.select_option("#id_pool", label=POOL)
    desk.fill("#id_reviewers_per_entry", "2")
    desk.fill("#id_min_reviews", "1")
    desk.fill("#id_award_count", "3")
    desk.fill("#id_publicity_days", "5")
    desk.uncheck("#id_publicity_working_days")
    desk.fill("#id_certificate_prefix", PREFIX)
    for box in desk.locator("input[name=routes_choice]").all():
        box.set_checked(box.get_attribute("value") == "region")
    desk.fill("#id_materials_text", "form 推荐表 optional")
    shot(desk, "e2e-selections-1-call-form")
    _save(desk)
    assert re.search(r"/selections/calls/\d+/$", desk.url), desk.url
    call_url = desk.url
    _save(desk, "form[action$='/advance/'] button")
    assert desk.locator("[data-call-status=open]").count() == 1, desk.url
    return call_url, int(re.search(r"/calls/(\d+)/", call_url).group(1))


def _nominate(county, call_url, name):
    """锦江区's officer finds the person and nominates them, on a phone."""
    _go(county, call_url)
    _fits(county)
    with county.expect_navigation(wait_until="domcontentloaded"):
        county.locator("a[href$='/nominate/']").click()
    county.fill("#id_q", name)
    with county.expect_navigation(wait_until="domcontentloaded"):
        county.locator("form[role=search] button").click()
    with county.expect_navigation(wait_until="domcontentloaded"):
        county.locator(".list-group-item", has_text=name).locator("a").first.click()
    assert county.locator(".fw-bold", has_text=name).count() == 1
    county.fill("#id_summary", "长期在社区和中小学开展科普讲座，组织青少年科技活动百余场。")
    if county.locator("#id_rank").count():
        county.fill("#id_rank", "1")
    _fits(county)
    shot(county, "e2e-selections-2-nominate-phone")
    _save(county)
    assert re.search(r"/selections/entries/\d+/$", county.url), county.url
    entry_url = county.url
    _ok(county)
    _fits(county)
    return entry_url


def _check(other, call_url, entry_url):
    """Another province officer closes entries, passes the formal check, opens review."""
    _go(other, call_url)
    _save(other, "form[action$='/advance/'] button")
    assert other.locator("[data-call-status=checking]").count() == 1, other.url
    _go(other, f"{entry_url}check/")
    for radio in other.locator("input[type=radio][value=pass]").all():
        radio.check()
    shot(other, "e2e-selections-3-formal-check")
    _save(other)
    _ok(other)
    _go(other, call_url)
    _save(other, "form[action$='/advance/'] button")
    assert other.locator("[data-call-status=reviewing]").count() == 1, other.url


def _assign(desk, call_url, name):
    _go(desk, f"{call_url}assignment/")
    _save(desk, "form[method=post] button.btn-primary")
    _ok(desk)
    row = desk.locator("tr", has_text=name)
    assert row.locator("li strong").count() >= 1
    if row.locator("li", has_text=EXPERT).count() == 0:
        # The balanced solver gave it to others: the audited override, with a reason.
        with desk.expect_navigation(wait_until="domcontentloaded"):
            row.locator("a[href$='/reassign/']").first.click()
        desk.select_option("#id_reviewer", label=EXPERT)
        desk.fill("#id_reason", "周明远熟悉社区科普工作，由其在线评审。")
        _save(desk)
        _ok(desk)
    row = desk.locator("tr", has_text=name)
    assert row.locator("li", has_text=EXPERT).count() == 1
    shot(desk, "e2e-selections-4-assignment")


def _score(browser, server_url, name):
    ctx, expert = _phone(browser, server_url, "demo-expert")
    _go(expert, f"{server_url}/selections/reviews/")
    _fits(expert)
    with expert.expect_navigation(wait_until="domcontentloaded"):
        expert.locator("tr", has_text=name).locator("a[href*='/reviews/']").click()
    for field in expert.locator("form.card input[type=number]").all():
        field.fill(f"{float(field.get_attribute('max')) * 0.8:g}")
    expert.fill("#id_comment", "科普工作扎实，覆盖面广。")
    _fits(expert)
    shot(expert, "e2e-selections-5-score-phone")
    _save(expert)
    _ok(expert)
    assert expert.locator("tr", has_text=name).locator(".bg-green-lt").count() == 1
    _fits(expert)
    ctx.close()


def _rank_and_publicize(desk, public, server_url, call_url, call_id, name):
    _go(desk, f"{call_url}ranking/")  # computed live; closing the review stores it
    row = desk.locator("tr", has_text=name)
    assert row.count() == 1
    corrected, raw = (row.locator("td").nth(i).inner_text().strip() for i in (0, 1))
    assert corrected.startswith("1") and raw == "1", (corrected, raw)
    assert desk.locator("tr", has_text=EXPERT).count() == 1  # the reviewers' severity
    shot(desk, "e2e-selections-6-ranking")
    _save(desk, "form[action$='/close-review/'] button")
    _ok(desk)
    _go(desk, f"{call_url}publicity/")
    row = desk.locator("tr", has_text=name)
    row.locator("input[name=entries]").check()
    shot(desk, "e2e-selections-7-publicity-form")
    _save(desk, "form[method=post] button.btn-primary")
    _ok(desk)
    _go(public, f"{server_url}/calls/{call_id}/")
    assert public.locator("body", has_text=name).count() >= 1
    _fits(public)
    shot(public, "e2e-selections-8-public-notice-phone")


def _publicity_is_over(call_id):
    """Five calendar days, nobody objected: the notice is moved back into the past in
    the server's database, ending yesterday."""
    end = _today() - datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=4)
    with sqlite3.connect(SERVER["db"]) as db:
        db.execute(
            "UPDATE selections_call SET publicity_from = ?, publicity_to = ? WHERE id = ?",
            (start.isoformat(), end.isoformat(), call_id),
        )


def _decide(desk, other, server_url, call_url, name):
    """Four eyes: the officer who started the notice cannot decide; the other does."""
    _go(desk, f"{call_url}decide/")
    assert desk.locator("form.card button.btn-primary").count() == 0, "four eyes"
    _go(other, f"{call_url}decide/")
    other.fill("#id_decision_number", DECISION)
    other.fill("#id_decided_on", _today().isoformat())
    _save(other)
    _ok(other)
    row = other.locator("tr", has_text=name)
    link = row.locator("a[href$='/certificate.pdf']")
    assert link.inner_text().strip() == f"{PREFIX}001"
    response = other.request.get(server_url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    verify = row.locator("a[href*='/calls/verify/']").get_attribute("href")
    shot(other, "e2e-selections-9-decided")
    return verify


def test_call_nominate_check_assign_score_rank_publicize_decide(browser, server_url):
    desk_ctx, desk = _officer(browser, server_url, "demo-province")
    target_pk, before = _envoy_target(desk, server_url)
    person_pk, name = _nominee()

    call_url, call_id = _open_call(desk, server_url)
    county_ctx, county = _phone(browser, server_url, "demo-county-a")
    entry_url = _nominate(county, call_url, name)
    other_ctx, other = _officer(browser, server_url, "demo-province-2")
    _check(other, call_url, entry_url)
    _assign(desk, call_url, name)
    _score(browser, server_url, name)
    public_ctx, public = _context(browser, 390)  # anonymous
    _rank_and_publicize(desk, public, server_url, call_url, call_id, name)
    _publicity_is_over(call_id)
    verify = _decide(desk, other, server_url, call_url, name)
    other_ctx.close()

    # The honour in the person's record, seen by 锦江区 (on the phone).
    _go(county, f"{server_url}/people/{person_pk}/")
    assert county.locator(".list-group-item", has_text="天府科普使者").count() >= 1
    _fits(county)
    shot(county, "e2e-selections-10-person-honour-phone")
    county_ctx.close()

    # The plan target (`people.tianfu_envoys`) counts honours by the selection's year,
    # after the baseline's year up to the year of min(today, the target's deadline): the
    # call is of a year it counts (`_selection_year`), so the figure moves by one.
    _pk, after = _envoy_target(desk, server_url)
    assert after == before + 1, (before, after)
    shot(desk, "e2e-selections-11-plan-target")

    # The public certificate check (anonymous).
    _go(public, server_url + verify)
    assert public.locator("[data-verify=genuine]").count() == 1
    assert public.locator("dt:has-text('获评称号') + dd").inner_text().strip() == "天府科普使者"
    assert public.locator("body", has_text=name).count() >= 1
    _fits(public)
    shot(public, "e2e-selections-12-verify-phone")
    public_ctx.close()
    desk_ctx.close()
