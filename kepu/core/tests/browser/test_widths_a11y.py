"""Phone widths in every mode and accessibility (issue 19, point 5).

For every public page and the main officer pages (the table `PAGES`: URL × persona), in
standard, large-text and English modes, at 360 and 390 px: no horizontal scroll
(`document.documentElement.scrollWidth <= window.innerWidth`). In standard and large-text
mode (at 390 px) axe-core, vendored in `kepu/static/vendor/axe-core/` and injected by the
test only, finds no violation of impact serious or critical.

One browser, one context per persona and mode, one page reused for every URL; the width is
changed by resizing the viewport, not by reloading. To add a page, add a row to `PAGES`;
a `{name}` in a path is the first link on `FIND[name]`'s page matching its pattern.
"""

import re
import sqlite3
from pathlib import Path

import pytest

from kepu.core.publiccache import A11Y_COOKIE
from kepu.core.tests.browser.fixtures import SERVER, log_in, shot

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "static" / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (360, 390)
AXE_WIDTH = 390
MODES = {
    # name: (cookies, run axe)
    "standard": ({}, True),
    "large": ({A11Y_COOKIE: "1"}, True),
    "english": ({"django_language": "en"}, False),
}
SERIOUS = ("serious", "critical")

PUBLIC = None  # anonymous
COUNTY = "demo-county-a"
PROVINCE = "demo-province"
AUDITOR = "demo-auditor"
VOLUNTEER = "demo-volunteer"
EXPERT = "demo-expert"

# Links found on a listing page: name -> (listing path, pattern of the link's path).
FIND = {
    "event": ("/events/", r"^/events/\d+/$"),
    "plan_public": ("/progress/", r"^/progress/\d+/$"),
    "resource_public": ("/catalog/", r"^/catalog/[0-9a-f-]{36}/$"),
    "person": ("/people/", r"^/people/\d+/$"),
    "talent_round": ("/people/talent-rounds/", r"^/people/talent-rounds/\d+/$"),
    "talent": ("/people/talents/", r"^/people/talents/\d+/$"),
    "order": ("/volunteering/orders/", r"^/volunteering/orders/\d+/$"),
    "activity": ("/activities/", r"^/activities/\d+/$"),
    "resource": ("/resources/", r"^/resources/\d+/$"),
    "plan": ("/plans/", r"^/plans/\d+/$"),
    "assessment": ("/plans/assessments/", r"^/plans/assessments/\d+/$"),
    "assessment_public": ("/progress/assessments/", r"^/progress/assessments/\d+/$"),
    "notice_public": ("/notices/", r"^/notices/\d+/$"),
    "notice": ("/portal/notices/", r"^/portal/notices/\d+/$"),
    "incident_public": ("/emergency/", r"^/emergency/\d+/$"),
    "rebuttal_public": ("/emergency/rebuttals/", r"^/emergency/rebuttals/\d+/$"),
    "incident": ("/incidents/", r"^/incidents/\d+/$"),
    "base_public": ("/venues/", r"^/venues/\d+/$"),
    "rubric": ("/rubrics/", r"^/rubrics/\d+/$"),
    "area": ("/demonstration-areas/", r"^/demonstration-areas/\d+/$"),
    "midterm": ("/midterm/", r"^/midterm/\d+/$"),
    "subsidy": ("/bases/subsidies/", r"^/bases/subsidies/\d+/$"),
    "census": ("/bases/census/", r"^/bases/census/\d+/$"),
    "literacy_public": ("/science-literacy/", r"^/science-literacy/\d+/$"),
    "literacy_index_public": ("/science-literacy/", r"^/science-literacy/index/\d+/$"),
    "literacy_item": ("/literacy/items/", r"^/literacy/items/\d+/$"),
    "literacy_round": ("/literacy/rounds/", r"^/literacy/rounds/\d+/$"),
    "stats_round": ("/stats/rounds/", r"^/stats/rounds/\d+/$"),
    "stats_return": ("/stats/my/", r"^/stats/returns/\d+/$"),
    "stats_dataset": ("/stats/datasets/", r"^/stats/datasets/\d+/$"),
    "stats_indicator": ("/stats/datasets/1/", r"^/stats/indicators/\d+/edit/$"),
    "literacy_report": ("/literacy/results/", r"^/literacy/rounds/\d+/report/$"),
    "literacy_response": ("/literacy/responses/", r"^/literacy/responses/\d+/$"),
    "literacy_index": ("/literacy/index/", r"^/literacy/index/\d+/$"),
    "training_course": ("/training/courses/", r"^/training/courses/\d+/$"),
    "training_session": ("/training/sessions/", r"^/training/sessions/\d+/$"),
}


def _open_round_token():
    """The public questionnaire's token of the demo's open round (no page links to it
    anonymously: respondents come by its link or QR code)."""
    with sqlite3.connect(SERVER["db"]) as db:
        row = db.execute(
            "SELECT token FROM literacy_surveyround WHERE status = 'open' ORDER BY id LIMIT 1"
        ).fetchone()
    assert row, "no open literacy round in the demo"
    return row[0]


# Values read from the server's database: name -> function giving the value.
LOOKUP = {"survey_token": _open_round_token}

# (path, personas).
OFFICERS = (COUNTY, PROVINCE)
PAGES = [
    # public
    ("/", (PUBLIC,)),
    ("/search/?q=%E7%A7%91%E6%99%AE", (PUBLIC,)),
    ("/notices/", (PUBLIC,)),
    ("{notice_public}", (PUBLIC,)),
    ("/accounts/login/", (PUBLIC,)),
    ("/events/", (PUBLIC,)),
    ("{event}", (PUBLIC,)),
    ("/service/", (PUBLIC,)),
    ("/service/verify/", (PUBLIC,)),
    ("/join/", (PUBLIC,)),
    ("/join/volunteer/", (PUBLIC,)),
    ("/join/expert/", (PUBLIC,)),
    ("/catalog/", (PUBLIC,)),
    ("/catalog/map/", (PUBLIC,)),
    ("/catalog/policies/", (PUBLIC,)),
    ("/catalog/emergency/", (PUBLIC,)),
    ("/catalog/groups/elderly/", (PUBLIC,)),
    ("/catalog/open-data/", (PUBLIC,)),
    ("{resource_public}", (PUBLIC,)),
    ("/progress/", (PUBLIC,)),
    ("{plan_public}", (PUBLIC,)),
    ("/emergency/", (PUBLIC,)),
    ("{incident_public}", (PUBLIC,)),
    ("/emergency/rebuttals/", (PUBLIC,)),
    ("{rebuttal_public}", (PUBLIC,)),
    ("/emergency/report/", (PUBLIC,)),
    ("/venues/", (PUBLIC,)),
    ("/venues/map/", (PUBLIC,)),
    ("/calls/", (PUBLIC,)),
    ("/calls/results/", (PUBLIC,)),
    ("{base_public}", (PUBLIC,)),
    ("/contests/", (PUBLIC,)),
    # officers
    ("/workbench/", OFFICERS),
    ("/workbench/", (AUDITOR,)),
    ("/portal/notices/", OFFICERS),
    ("{notice}", OFFICERS),
    ("/people/", OFFICERS),
    ("{person}", OFFICERS),
    ("/people/talent-rounds/", OFFICERS),
    ("{talent_round}", OFFICERS),
    ("/people/talent-applications/", OFFICERS),
    ("/people/talents/", OFFICERS),
    ("{talent}", OFFICERS),
    ("/volunteering/orders/", OFFICERS),
    ("{order}", OFFICERS),
    ("/volunteering/hours/", OFFICERS),
    ("/activities/", OFFICERS),
    ("{activity}", OFFICERS),
    ("/resources/", OFFICERS),
    ("/plans/", OFFICERS),
    ("{plan}", OFFICERS),
    ("/plans/assessments/", OFFICERS),
    ("{assessment}", OFFICERS),
    ("{assessment}ranking/", OFFICERS),
    ("{assessment_public}", (PUBLIC,)),
    ("/people/stats/", OFFICERS),
    ("/people/officers/activity/", OFFICERS),
    ("/people/officers/rankings/", OFFICERS),
    ("/people/officers/feedback/", OFFICERS),
    ("/activities/stats/", OFFICERS),
    ("/volunteering/bulletin/", OFFICERS),
    ("/jobs/", OFFICERS),
    ("/incidents/", OFFICERS),
    ("{incident}", OFFICERS),
    ("{incident}pushes/", OFFICERS),
    ("{incident}rumors/", OFFICERS),
    ("{incident}review/", OFFICERS),
    ("/rumors/", OFFICERS),
    ("/rumors/trends/", (PROVINCE,)),
    ("/bases/", OFFICERS),
    ("/bases/new/", (PROVINCE,)),
    ("/deliveries/inbox/", (VOLUNTEER,)),
    ("/incidents/invitations/", (EXPERT,)),
    ("/rebuttal-reviews/", (EXPERT,)),
    ("/audit/", (AUDITOR,)),
    ("/jobs/", (AUDITOR,)),
    ("/rubrics/", OFFICERS),
    ("{rubric}", OFFICERS),
    ("/demonstration-areas/", OFFICERS),
    ("{area}", OFFICERS),
    ("/midterm/", (PROVINCE,)),
    ("{midterm}", (PROVINCE,)),
    ("{midterm}results/", (PROVINCE,)),
    # bases: subsidies and census
    ("/bases/subsidies/", (PROVINCE,)),
    ("{subsidy}", (PROVINCE,)),
    ("/bases/census/", OFFICERS),
    ("{census}", OFFICERS),
    ("/bases/census/returns/", (COUNTY,)),
    ("/selections/calls/", (COUNTY,)),
    ("/selections/projects/", (PROVINCE,)),
    ("/selections/reviews/", (EXPERT,)),
    # bases: annual reports and evaluation
    ("/bases/reports/", OFFICERS),
    ("/bases/spot-checks/", OFFICERS),
    ("/bases/rectifications/", OFFICERS),
    ("/bases/evaluations/", OFFICERS),
    # people: training (issue 26)
    ("/training/courses/", OFFICERS),
    ("{training_course}", OFFICERS),
    ("/training/sessions/", OFFICERS),
    ("{training_session}", OFFICERS),
    ("/training/bases/", OFFICERS),
    ("/training/stats/", OFFICERS),
    ("/training/mine/", (VOLUNTEER,)),
    ("/training/verify/", (PUBLIC,)),
    # volunteer teams and joint conferences (issue 26)
    ("/people/teams/", OFFICERS),
    ("/people/service-groups/", OFFICERS),
    ("/people/team-honours/", (PROVINCE,)),
    ("/plans/conferences/", (PROVINCE,)),
    ("/plans/meetings/", OFFICERS),
]
# Science-literacy monitoring (issue 20), checked by a test of their own (`-k literacy`).
LITERACY_PAGES = [
    ("/survey/{survey_token}/", (PUBLIC,)),
    ("/science-literacy/", (PUBLIC,)),
    ("{literacy_public}", (PUBLIC,)),
    ("{literacy_index_public}", (PUBLIC,)),
    ("/literacy/items/", OFFICERS),
    ("{literacy_item}", OFFICERS),
    ("/literacy/rounds/", OFFICERS),
    ("{literacy_round}", OFFICERS),
    ("{literacy_round}points/", (PROVINCE,)),
    ("/literacy/responses/", OFFICERS),
    ("{literacy_response}", OFFICERS),
    ("/literacy/results/", OFFICERS),
    ("{literacy_report}", OFFICERS),
    ("/literacy/trend/", OFFICERS),
    ("/literacy/index/", OFFICERS),
    ("{literacy_index}", OFFICERS),
]
# The statistics survey (issue 22), checked by a test of its own (`-k stats`).
STATS_PAGES = [
    ("/stats/open/", (PUBLIC,)),
    ("/stats/rounds/", OFFICERS),
    ("{stats_round}", OFFICERS),
    ("{stats_round}returns/", OFFICERS),
    ("{stats_round}completeness/", OFFICERS),
    ("{stats_round}approval/", OFFICERS),
    ("{stats_round}validation/", OFFICERS),
    ("/stats/aggregates/", OFFICERS),
    ("/stats/datasets/", OFFICERS),
    ("{stats_dataset}", (PROVINCE,)),
    ("{stats_indicator}", (PROVINCE,)),
    ("/stats/my/", (COUNTY,)),
    ("{stats_return}", (COUNTY,)),
]
PERSONAS = (PUBLIC, COUNTY, PROVINCE, AUDITOR, VOLUNTEER, EXPERT)


def _log_in(page, base, username):
    if username is None:
        return
    log_in(page, base, username)
    if username == AUDITOR:  # the administrators log in with TOTP
        from django_otp.oath import totp

        from kepu.core.demo import demo_totp_hex

        page.wait_for_url(re.compile(r".*/accounts/login/otp/"))
        page.fill("#id_token", f"{totp(bytes.fromhex(demo_totp_hex(username))):06d}")
        page.click("form button.btn-primary")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def _first_link(page, base, listing, pattern):
    page.goto(base + listing)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        if re.match(pattern, href.split("?")[0]):
            return href
    raise AssertionError(f"no link matching {pattern} on {listing}")


def _axe(page):
    """The serious and critical violations on the page, one line each with its selectors."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}) at {len(v['nodes'])} node(s): "
        + "; ".join(v["nodes"][:3])
        for v in result
        if v["impact"] in SERIOUS
    ]


def check_persona(browser, base, persona, modes=tuple(MODES), pages=PAGES):
    """Every page of `persona` in every mode: a list of failures (empty when all is well)."""
    # One context per persona (one login: TOTP codes cannot be replayed); the mode is a
    # cookie. bypass_csp only so that the test can inject axe-core; the pages' own scripts
    # and styles are the same (they comply with the CSP, checked by the other journeys).
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 800},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        bypass_csp=True,
    )
    host = base.split("//", 1)[1].split(":")[0]
    page = context.new_page()
    failures = []
    try:
        _log_in(page, base, persona)
        found = {}
        for mode in modes:
            cookies, run_axe = MODES[mode]
            context.clear_cookies(name=re.compile(f"^({A11Y_COOKIE}|django_language)$"))
            context.add_cookies(
                [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()]
            )
            for path, personas in pages:
                if persona not in personas:
                    continue
                for name in re.findall(r"\{(\w+)\}", path):
                    if name in found:
                        continue
                    if name in LOOKUP:
                        found[name] = LOOKUP[name]()
                    else:
                        found[name] = _first_link(page, base, *FIND[name])
                failures += _check_page(page, base + path.format(**found), mode, run_axe)
    finally:
        context.close()
    return failures


def _check_page(page, url, mode, run_axe):
    failures = []
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    response = page.goto(url)
    path = url.split("//", 1)[1].split("/", 1)[1]
    if response is None or response.status >= 400:
        return [f"/{path}: HTTP {response and response.status}"]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > min(inner, width):
            wide = page.evaluate(WIDEST, width)
            failures.append(f"/{path} [{mode}, {width}px]: {scroll}px wide; widest: {wide}")
            shot(page, f"wide-{mode}-{width}-{_slug(path)}")
        if run_axe and width == AXE_WIDTH:
            failures += [f"/{path} [{mode}] axe: {v}" for v in _axe(page)]
    return failures


# The elements that reach past the viewport (deepest first), to name the culprit.
WIDEST = """(w) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        const box = el.parentElement && el.parentElement.closest('.table-responsive');
        if ((r.right > w + 0.5 || el.scrollWidth > el.clientWidth + 1) && r.width > 0 && !box) {
            const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
            out.push(name + ' ' + Math.round(r.right) + 'px');
        }
    }
    return out.slice(-4).join(' | ');
}"""


def _slug(url):
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_pages_fit_a_phone_and_pass_axe(browser, server_url, persona):
    assert AXE.exists(), "axe-core is not vendored: bash scripts/vendor_static.sh"
    failures = check_persona(browser, server_url, persona)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("persona", (PUBLIC, COUNTY, PROVINCE), ids=lambda p: p or "anonymous")
def test_literacy_pages_fit_a_phone_and_pass_axe(browser, server_url, persona):
    assert AXE.exists(), "axe-core is not vendored: bash scripts/vendor_static.sh"
    failures = check_persona(browser, server_url, persona, pages=LITERACY_PAGES)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("persona", (PUBLIC, COUNTY, PROVINCE), ids=lambda p: p or "anonymous")
def test_stats_pages_fit_a_phone_and_pass_axe(browser, server_url, persona):
    assert AXE.exists(), "axe-core is not vendored: bash scripts/vendor_static.sh"
    failures = check_persona(browser, server_url, persona, pages=STATS_PAGES)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
