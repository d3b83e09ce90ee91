"""The volunteer service bulletin: exact figures on a known dataset, the ranking, the
on-time rate, the period boundaries, the scope, the Excel workbook and the PDF."""

import datetime
import decimal
import io
import shutil
import subprocess

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from kepu.core import periods, rollups
from kepu.core.models import AuditEntry, Region
from kepu.people import choices as pc
from kepu.people.models import Registration, ServiceGroup, Team
from kepu.volunteering import services, stats
from kepu.volunteering.bulletins import title as _title
from kepu.volunteering.io import bulletin_figures
from kepu.volunteering.models import Certificate, HourEntry, ServiceOrder
from kepu.volunteering.tests.helpers import make_order, make_team, make_volunteer, officer

pytestmark = pytest.mark.django_db
D = decimal.Decimal
Q3 = periods.quarter_period(2025, 3)
Q3_PARAMS = {"period": "quarter", "year": "2025", "quarter": "3"}
URL = reverse("volunteering:bulletin")


def at(month, day, hour=10, minute=0, second=0, year=2025):
    return datetime.datetime(
        year, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture(autouse=True)
def recounted(monkeypatch):
    """Each bulletin read from the counters must equal the one counted from the raw rows."""
    compute = stats.compute

    def checked(focus, period, **kwargs):
        fast = compute(focus, period, **kwargs)
        slow = compute(focus, period, raw=True)
        assert (fast.total, fast.direct, fast.rows) == (slow.total, slow.direct, slow.rows)
        assert (fast.categories, fast.groups) == (slow.categories, slow.groups)
        return fast

    monkeypatch.setattr(stats, "compute", checked)


@pytest.fixture(scope="module")
def _emptied(django_db_setup, django_db_blocker):
    """No volunteer work at all (the demo people have registrations and teams), made once
    for the module inside a transaction rolled back at its end, as the authorization
    matrix does; each test's own transaction brings the data back to this state."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            Certificate.objects.all().delete()
            HourEntry.objects.all().delete()
            ServiceOrder.objects.all().delete()
            # Service groups and sub-teams protect the teams they name (issue 26).
            ServiceGroup.objects.all().delete()
            Team.objects.update(parent=None)
            Team.objects.all().delete()
            Registration.objects.filter(kind=pc.RegistrationKind.VOLUNTEER).delete()
            recount()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def empty(_emptied, db):
    """Every test starts from no volunteer work at all."""


_ONE_RECOUNT = []  # non-empty while `dataset` is made


def recount():
    """These tests put the steps at chosen instants with raw updates (which no service
    does): the counters are then rebuilt from the raw rows, as the dataset generator does."""
    if _ONE_RECOUNT:
        return
    for name in rollups.metrics():
        if name.startswith("volunteering."):
            rollups.rebuild(name)


def volunteer(code, start=datetime.date(2025, 1, 1), status=None):
    person = make_volunteer(code=code)
    changes = {"start_date": start}
    if status:
        changes["status"] = status
    Registration.objects.filter(person=person).update(**changes)
    return person


def team(code, created=None, **kwargs):
    created = created or at(6, 1)
    t = make_team(code=code, organization=None, **kwargs)
    Team.objects.filter(pk=t.pk).update(created_at=created)
    return t


def order(code, category="health", *, submitted, key_group="elderly"):
    o = make_order(code=code, category=category, key_group=key_group)
    ServiceOrder.objects.filter(pk=o.pk).update(submitted_at=submitted)
    recount()
    o.refresh_from_db()
    return o


def move(o, **times):
    ServiceOrder.objects.filter(pk=o.pk).update(**times)
    recount()


def serve(o, the_team, people, *, start, hours, dispatched, accepted, served):
    """Dispatch to the team, accept, check everyone in and out from `start` for `hours`,
    complete; then put the steps at the given instants."""
    o = services.dispatch(o, actor=officer(), team=the_team)
    o = services.accept(o, actor=None, volunteers=people)
    for assignment in o.assignments.all():
        services.check_in(assignment, actor=None, at=start)
        services.check_out(
            assignment, actor=None, at=start + datetime.timedelta(minutes=int(hours * 60))
        )
    o.refresh_from_db()
    o = services.complete(o, actor=None)
    move(o, dispatched_at=dispatched, accepted_at=accepted, served_at=served)
    return o


def rate(o, stars, when):
    o = services.rate(o, rating=stars)
    move(o, rated_at=when, closed_at=when)


@pytest.fixture
def dataset():
    """Chengdu (5101) in the third quarter of 2025, with orders just before, at and after
    the boundaries and a county of Mianyang (outside Chengdu).

    The counters are rebuilt once, at the end, instead of after each raw update: a
    rebuild rewrites them from the raw rows alone (and the services read rows, not
    counters), so the result is the same; each rebuild reads the whole region tree."""
    _ONE_RECOUNT.append(True)
    try:
        _make_dataset()
    finally:
        _ONE_RECOUNT.clear()
    recount()


def _make_dataset():
    v1, v2 = volunteer("510104022"), volunteer("510104022")
    v3 = volunteer("510105")
    volunteer("510104022", start=datetime.date(2025, 8, 1), status=pc.RegistrationStatus.PENDING)
    volunteer("510106", start=datetime.date(2025, 10, 1))  # after the period
    volunteer("510106", status=pc.RegistrationStatus.ENDED)
    volunteer("510703")  # Mianyang
    team_a = team("510104", leader=v1, members=[v1, v2])
    team_b = team("510105", leader=v3)
    team("5101")  # the city's own team
    team("510106", created=at(10, 5))  # after the period

    o1 = order("510104022", "health", submitted=at(7, 2))
    o1 = serve(
        o1, team_a, [v1, v2], start=at(7, 10), hours=2,
        dispatched=at(7, 3), accepted=at(7, 4), served=at(7, 10, 16),
    )  # fmt: skip
    rate(o1, 5, at(7, 11))
    o2 = order("510104022", "emergency", submitted=at(8, 1))
    o2 = serve(
        o2, team_a, [v1], start=at(8, 20), hours=1.5,
        dispatched=at(8, 2), accepted=at(8, 5), served=at(8, 20, 16),
    )  # fmt: skip
    move(o2, accepted_on_time=False)  # accepted after its deadline
    rate(o2, 3, at(8, 21))
    o3 = order("510105", "agriculture", submitted=at(9, 1), key_group="farmers")
    serve(
        o3, team_b, [v3], start=at(9, 5), hours=3,
        dispatched=at(9, 2), accepted=at(9, 3), served=at(9, 5, 16),
    )  # fmt: skip
    o4 = order("510105", "health", submitted=at(9, 10))
    services.dispatch(o4, actor=officer(), team=team_b)
    move(o4, dispatched_at=at(9, 11))
    order("510106", "elderly_digital", submitted=at(9, 15))
    # Submitted in the last second of June, served at the first instant of July; its
    # hours were given in June.
    o6 = order("510104022", "health", submitted=at(6, 30, 23, 59, 59))
    serve(
        o6, team_a, [v2], start=at(6, 30, 22), hours=1,
        dispatched=at(6, 30, 23, 59, 59), accepted=at(6, 30, 23, 59, 59), served=at(7, 1, 0),
    )  # fmt: skip
    order("510106", "health", submitted=at(9, 30, 23, 59, 59))  # last second of Q3
    order("510104022", "health", submitted=at(10, 1, 0))  # first instant of Q4
    order("510703", "health", submitted=at(7, 5))  # Mianyang


def figures(code="5101", period=Q3):
    return stats.compute(Region.objects.get(code=code), period)


def row(data, code):
    return next(r for r in data.rows if r["region"].code == code)


# --- the figures ------------------------------------------------------------------------


def test_exact_figures_of_each_subordinate_region(dataset):
    data = figures()
    jinjiang = row(data, "510104")
    assert {k: jinjiang[k] for k in stats.ADDITIVE} | {"active": jinjiang["active"]} == {
        "registered": 3,  # two certified and one pending (from August)
        "certified": 2,
        "teams": 1,
        "received": 2,  # o1, o2 (o6 in June, the other one in October)
        "dispatched": 2,
        "completed": 3,  # o1, o2 and o6, served at 00:00 on 1 July
        "accepted": 2,
        "on_time": 1,  # o2 was accepted late
        "hours": D("5.50"),  # 2 + 2 + 1.5; o6's hour was given in June
        "rated": 2,
        "rating_sum": 8,
        "active": 2,
    }
    assert jinjiang["on_time_rate"] == D("50.0")
    assert jinjiang["rating"] == D("4.0")
    qingyang = row(data, "510105")
    assert (qingyang["registered"], qingyang["teams"], qingyang["received"]) == (1, 1, 2)
    assert (qingyang["dispatched"], qingyang["completed"], qingyang["accepted"]) == (2, 1, 1)
    assert (qingyang["hours"], qingyang["active"], qingyang["on_time_rate"]) == (
        D("3.00"),
        1,
        D("100.0"),
    )
    assert qingyang["rating"] is None
    jinniu = row(data, "510106")
    assert (jinniu["registered"], jinniu["teams"], jinniu["received"]) == (0, 0, 2)
    assert (jinniu["dispatched"], jinniu["completed"], jinniu["on_time_rate"]) == (0, 0, None)
    assert data.direct["teams"] == 1 and data.has_direct
    assert len(data.rows) == Region.objects.filter(parent__code="5101").count()


def test_totals_add_up_and_count_each_volunteer_once(dataset):
    t = figures().total
    assert {k: t[k] for k in (*stats.ADDITIVE, "active", "on_time_rate", "rating")} == {
        "registered": 4,
        "certified": 3,
        "teams": 3,  # two in counties and the city's own
        "received": 6,
        "dispatched": 4,
        "completed": 4,
        "accepted": 3,
        "on_time": 2,
        "hours": D("8.50"),
        "rated": 2,
        "rating_sum": 8,
        "active": 3,
        "on_time_rate": D("66.7"),
        "rating": D("4.0"),
    }
    # v1 served in two orders of the quarter: one active volunteer.
    assert figures("510104").total["active"] == 2


def test_province_total_includes_both_cities(dataset):
    t = figures("51").total
    assert (t["registered"], t["received"], t["completed"]) == (5, 7, 4)


def test_ranking_by_completed_orders_and_by_hours_ties_by_code(dataset):
    data = figures()
    by_completed = data.ranked("completed")
    assert [(r["region"].code, r["rank_completed"]) for r in by_completed[:4]] == [
        ("510104", 1),
        ("510105", 2),
        ("510106", 3),  # no completed order: rank 3 shared, in code order
        ("510107", 3),
    ]
    codes = [r["region"].code for r in by_completed[2:]]
    assert codes == sorted(codes)
    assert {r["rank_completed"] for r in by_completed[2:]} == {3}
    by_hours = data.ranked("hours")
    assert [(r["region"].code, r["rank_hours"]) for r in by_hours[:3]] == [
        ("510104", 1),
        ("510105", 2),
        ("510106", 3),
    ]


def test_equal_values_share_a_rank_listed_in_code_order():
    regions = {code: Region.objects.get(code=code) for code in ("510104", "510105", "510106")}
    rows = [
        {"region": regions["510106"], "completed": 4},
        {"region": regions["510105"], "completed": 4},
        {"region": regions["510104"], "completed": 1},
    ]
    stats._rank(rows, "completed")
    ordered = sorted(rows, key=lambda r: (r["rank_completed"], r["region"].code))
    assert [(r["region"].code, r["rank_completed"]) for r in ordered] == [
        ("510105", 1),
        ("510106", 1),
        ("510104", 3),
    ]


def test_on_time_rate_counts_both_deadlines_over_orders_accepted(dataset):
    o = ServiceOrder.objects.get(category="agriculture")
    move(o, dispatched_on_time=False)  # dispatched late, accepted in time: not on time
    t = figures().total
    assert (t["on_time"], t["accepted"], t["on_time_rate"]) == (1, 3, D("33.3"))


def test_orders_by_category_and_target_group(dataset):
    data = figures()
    assert [(c["code"], c["received"], c["completed"]) for c in data.categories[:4]] == [
        ("health", 3, 2),  # o1, o4, o7 received; o1 and o6 completed
        ("emergency", 1, 1),  # equal counts: catalog order
        ("agriculture", 1, 1),
        ("elderly_digital", 1, 0),
    ]
    assert all(c["received"] == c["completed"] == 0 for c in data.categories[4:])
    assert len(data.categories) == 9
    groups = {g["code"]: (g["received"], g["completed"]) for g in data.groups}
    assert groups["elderly"] == (5, 3) and groups["farmers"] == (1, 1)


# --- the period -------------------------------------------------------------------------


def test_period_boundaries(dataset):
    june = figures("510104", periods.quarter_period(2025, 2)).total
    assert (june["received"], june["completed"], june["hours"]) == (1, 0, D("1.00"))
    assert (june["registered"], june["teams"]) == (2, 1)  # the pending one starts in August
    first_day = figures("510104", periods.custom_period(*[datetime.date(2025, 7, 1)] * 2)).total
    assert (first_day["received"], first_day["completed"]) == (0, 1)
    september = figures(period=periods.month_period(2025, 9)).total
    assert (september["received"], september["completed"], september["hours"]) == (
        4,
        1,
        D("3.00"),
    )
    q4 = figures(period=periods.quarter_period(2025, 4)).total
    assert (q4["received"], q4["completed"], q4["registered"], q4["teams"]) == (1, 0, 5, 4)
    year = figures(period=periods.year_period(2025)).total
    assert (year["received"], year["completed"], year["hours"]) == (8, 4, D("9.50"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("quarter", "2026-10-01", "2026-12-31")),
        ({"period": "month", "year": "2024", "month": "2"}, ("month", "2024-02-01", "2024-02-29")),
        ({"period": "quarter", "year": "2025", "quarter": "1"},
         ("quarter", "2025-01-01", "2025-03-31")),
        ({"period": "year", "year": "2025"}, ("year", "2025-01-01", "2025-12-31")),
        ({"period": "month", "year": "2025", "month": "12"}, ("month", "2025-12-01", "2025-12-31")),
        ({"period": "custom", "from": "2025-03-05", "to": "2025-04-01"},
         ("custom", "2025-03-05", "2025-04-01")),
    ],
)  # fmt: skip
def test_parse_period(params, expected):
    period, errors = periods.parse_period(params, today=datetime.date(2026, 11, 22))
    assert not errors
    assert (period.kind, period.first.isoformat(), period.last.isoformat()) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"period": "week"},
        {"period": "custom", "from": "2025-04-01", "to": "2025-03-01"},
        {"period": "custom", "from": "2025-04-01"},
        {"period": "quarter", "year": "2025", "quarter": "5"},
        {"period": "month", "year": "1900", "month": "1"},
    ],
)
def test_a_period_that_cannot_be_understood_falls_back_to_this_quarter(params):
    period, errors = periods.parse_period(params, today=datetime.date(2026, 11, 22))
    assert errors
    assert (period.kind, period.first) == ("quarter", datetime.date(2026, 10, 1))


def test_period_boundaries_are_local_midnights():
    assert Q3.start.isoformat() == "2025-07-01T00:00:00+08:00"
    assert Q3.end.isoformat() == "2025-10-01T00:00:00+08:00"
    assert Q3.slug == "2025Q3"
    assert periods.custom_period(datetime.date(2025, 1, 5), datetime.date(2025, 3, 1)).slug == (
        "20250105-20250301"
    )


def test_summary_states_the_numbers(dataset):
    with translation.override("en"):
        text = " ".join(stats.summary(figures()))
    assert "4 registered technology volunteers (3 of them certified)" in text
    assert "8.5 approved service hours" in text
    assert "on-time rate 66.7%" in text
    assert "Most service orders completed: 锦江区, 青羊区." in text


# --- the queries ------------------------------------------------------------------------


def _add_townships(county, n):
    for i in range(n):
        code = f"{county.code}9{i:02d}"
        Region.objects.create(
            code=code, name=f"测试街道{i}", level=4, parent=county, path=f"{county.path}{code}/"
        )
        order(code, submitted=at(7, 20))


def test_queries_do_not_grow_with_the_number_of_subordinate_regions(dataset):
    county = Region.objects.get(code="510104")
    stats.compute(county, Q3)  # warm: the region tree's per-process copies
    with CaptureQueriesContext(connection) as before:
        stats.compute(county, Q3)
    _add_townships(county, 6)
    stats.compute(county, Q3)  # the region tree changed: its cached ids are read once
    with CaptureQueriesContext(connection) as after:
        data = stats.compute(county, Q3)
    assert len(after) == len(before)
    assert len(data.rows) == 11 + 6
    province_region = Region.objects.get(code="51")
    stats.compute(province_region, Q3)  # its subtree's ids read once
    with CaptureQueriesContext(connection) as province:
        stats.compute(province_region, Q3)
    assert len(province) == len(before)


def test_page_queries_do_not_grow_with_the_number_of_subordinate_regions(dataset, as_persona):
    client = as_persona("county_a")
    client.get(URL, Q3_PARAMS)  # warm the session
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, Q3_PARAMS).status_code == 200
    _add_townships(Region.objects.get(code="510104"), 6)
    client.get(URL, Q3_PARAMS)  # the region tree changed: its cached ids are read once
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL, Q3_PARAMS)
    assert len(response.context["ranked"]) == 17
    assert len(after) == len(before)


# --- the page, the scope ----------------------------------------------------------------


def test_page_shows_the_city_by_default_for_the_city_officer(dataset, as_persona):
    response = as_persona("city").get(URL, Q3_PARAMS)
    assert response.status_code == 200
    assert response.context["focus"].code == "5101"
    assert response.context["total"]["completed"] == 4
    assert [r["region"].code for r in response.context["ranked"][:2]] == ["510104", "510105"]
    html = response.content.decode()
    assert 'id="bulletin-data"' in html and "锦江区" in html
    assert "style=" not in html and "<style" not in html


def test_page_ranks_by_hours_on_request(dataset, as_persona):
    response = as_persona("city").get(URL, {**Q3_PARAMS, "rank": "hours"})
    assert response.context["rank_by"] == "hours"
    assert response.context["ranked"][0]["region"].code == "510104"


def test_page_with_a_bad_period_shows_this_quarter_and_says_why(as_persona):
    response = as_persona("city").get(URL, {"period": "custom", "from": "2025-05-01"})
    assert response.status_code == 200
    assert response.context["errors"]
    assert response.context["period"] == periods.default_period()


@pytest.mark.parametrize("name", ["bulletin", "bulletin_xlsx", "bulletin_pdf"])
@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("county_a", "510703", 404),  # county B
        ("county_a", "5101", 404),  # its own city, above its scope
        ("county_a", "999999", 404),  # no such region
        ("county_a", "510104022", 200),  # a township of its own county
        ("county_b", "510104", 404),
        ("city", "510703", 404),
        ("province", "510703", 200),
    ],
)
def test_region_outside_the_scope_is_not_found(as_persona, name, persona, code, status):
    response = as_persona(persona).get(reverse(f"volunteering:{name}"), {"region": code})
    assert response.status_code == status


def test_default_region_is_the_scope_root(as_persona):
    response = as_persona("county_b").get(URL)
    assert response.context["focus"].code == "510703"
    assert response.context["period"] == periods.default_period()


@pytest.mark.parametrize("persona", ["anonymous", "member", "volunteer", "sysadmin", "auditor"])
def test_only_regional_officers_read_bulletins(as_persona, persona):
    response = as_persona(persona).get(URL)
    assert response.status_code == (302 if persona == "anonymous" else 403)


# --- the exports --------------------------------------------------------------------------


def _sheets(response):
    book = CalamineWorkbook.from_object(io.BytesIO(b"".join(response.streaming_content)))
    return [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]


def test_xlsx_has_the_summary_the_ranked_regions_and_the_categories(dataset, as_persona):
    response = as_persona("city").get(reverse("volunteering:bulletin_xlsx"), Q3_PARAMS)
    assert response.status_code == 200
    assert "volunteer-bulletin-5101-2025Q3.xlsx" in response["Content-Disposition"]
    summary, regions, categories, groups = _sheets(response)
    values = {line[0]: line[1] for line in summary[1:]}
    with translation.override("zh-hans"):
        labels = dict(bulletin_figures())
    assert values[labels["completed"]] == 4
    assert values[labels["hours"]] == 8.5
    assert values[labels["on_time_rate"]] == 66.7
    assert regions[1][:4] == [1, 1, "锦江区", "510104"]
    assert regions[1][4:8] == [3, 2, 2, 1]  # registered, certified, active, teams
    assert regions[2][:4] == [2, 2, "青羊区", "510105"]
    assert regions[3][2:4] == ["金牛区", "510106"]
    assert len(regions) == 1 + 20 + 2  # header, 20 districts, the city itself, total
    assert regions[-1][4:11] == [4, 3, 3, 3, 6, 4, 4]
    assert [line[1:] for line in categories[1:5]] == [[3, 2], [1, 1], [1, 1], [1, 0]]
    assert len(categories) == 1 + 9 and len(groups) == 1 + 6
    entry = AuditEntry.objects.filter(action="volunteering.bulletin.exported").latest("pk")
    assert entry.detail["region"] == "5101" and entry.detail["period"] == "2025Q3"
    assert entry.detail["format"] == "xlsx"
    assert entry.actor.username == "demo-city"


def test_pdf_bulletin(dataset, as_persona):
    response = as_persona("city").get(reverse("volunteering:bulletin_pdf"), Q3_PARAMS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="volunteering.bulletin.exported").latest("pk")
    assert entry.detail == {
        "region": "5101",
        "period": "2025Q3",
        "from": "2025-07-01",
        "to": "2025-09-30",
        "format": "pdf",
        "rows": 20,
    }
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed; the text of the PDF is not checked")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    with translation.override("zh-hans"):
        title = _title(Region.objects.get(code="5101"), Q3)
    assert "".join(title.split()) in flat
    assert "成都市科学技术协会" in flat  # the issuing body: the city officer's association
    assert "锦江区" in flat and "青羊区" in flat
    assert "66.7%" in flat and "8.5" in flat
