"""The entry area through HTTP with the personas: the return form (registry marks,
overrides needing a reason, unreadable values, breakdowns, warnings explained, submit),
the lock and its exception, who is refused, the API, the pre-fill counts against a small
fixture of registry rows, the rule form and "my returns"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.activities.models import Activity, ActivityReport
from kepu.activities.tests.helpers import make_activity
from kepu.core import clock, workbench
from kepu.core import services as core_services
from kepu.core.models import AuditEntry, Organization, Region, User
from kepu.people.models import Person, Registration
from kepu.stats import choices as c
from kepu.stats import prefill as registry
from kepu.stats.models import LockException, Return, ValidationRule, Value
from kepu.stats.services import prefill as prefill_service
from kepu.stats.services import returns
from kepu.stats.tests.helpers import GOOD, YEAR, county_a_unit, county_b_unit, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(as_persona):
    def make(name):
        client = as_persona(name)
        client.cookies["django_language"] = "en"
        return client

    return make


def form_url(ret, table="KP-1"):
    return f"{reverse('stats:return_form', args=[ret.pk])}?table={table}"


def stored(ret, code):
    return Value.objects.filter(ret=ret, indicator__code=code).first()


def _staff(org, kind, *, status="certified", start=None, end=None, n=1):
    for i in range(n):
        person = Person.objects.create(
            name=f"统计测试{kind}{i}", region=org.region, organization=org
        )
        Registration.objects.create(
            person=person, kind=kind, status=status, region=org.region, organization=org,
            start_date=start or datetime.date(YEAR - 1, 1, 1), end_date=end,
        )  # fmt: skip


def _activity(org_name, kind, *, year=YEAR, attendance=None, title="统计测试讲座"):
    activity = make_activity(organizer=org_name, kind=kind, title=title)
    start = timezone.make_aware(datetime.datetime(year, 6, 1, 9))
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    if attendance is not None:
        ActivityReport.objects.create(activity=activity, onsite_attendance=attendance, summary="x")
    return activity


def test_prefill_counts_the_registry_rows_once_per_source(django_assert_max_num_queries):
    survey = make_round()
    a, b = county_a_unit(), county_b_unit()
    ret_a, _ = returns.assign(survey, a, actor=None)
    ret_b, _ = returns.assign(survey, b, actor=None)
    before = {
        key: registry.counts(key, [a.pk, b.pk], YEAR)
        for key in ("people.fulltime", "people.parttime", "activities.lectures")
    }
    _staff(a, "fulltime", n=2)
    _staff(a, "fulltime", status="pending")  # not certified: not counted
    _staff(a, "fulltime", end=datetime.date(YEAR, 6, 30))  # left before 31 December
    _staff(a, "fulltime", start=datetime.date(YEAR + 1, 1, 5))  # joined after the year
    _staff(a, "parttime")
    _activity(a.name, "lecture", attendance=1200)
    _activity(a.name, "lecture", attendance=30)
    _activity(a.name, "lecture", year=YEAR - 1, attendance=50)  # another year
    _activity(a.name, "exhibition", attendance=80)
    counts = registry.counts("people.fulltime", [a.pk, b.pk], YEAR)
    assert counts[a.pk] == before["people.fulltime"][a.pk] + 2
    assert counts[b.pk] == before["people.fulltime"][b.pk]
    # One grouped query per source for every unit, whatever their number.
    with django_assert_max_num_queries(len(registry.SOURCES) + 25):
        assert prefill_service.prefill([ret_a, ret_b], actor=None) == 2
    kr100 = stored(ret_a, "KR100")
    assert kr100.registry == kr100.value == counts[a.pk]
    assert kr100.source == c.ValueSource.REGISTRY
    assert stored(ret_a, "KR200").value == before["people.parttime"][a.pk] + 1
    lectures = before["activities.lectures"][a.pk]
    assert stored(ret_a, "KH110").value == lectures + 2
    assert stored(ret_a, "KH111").value >= 1230
    assert stored(ret_a, "KH121").value >= 80
    assert stored(ret_a, "KH170").value >= 1  # the lecture of 1,200
    assert "venues.science_centers" not in registry.SOURCES  # no honest count: left out
    assert (
        AuditEntry.objects.filter(
            action="stats.return.prefilled", object_id__in=[str(ret_a.pk), str(ret_b.pk)]
        ).count()
        == 2
    )
    # A typed value stays; the registry count is refreshed beside it.
    returns.save_values(ret_a, {"KR200": "99"}, actor=None, reasons={"KR200": "含外聘人员"})
    _staff(a, "parttime")
    prefill_service.prefill(ret_a, actor=None)
    kr200 = stored(ret_a, "KR200")
    assert kr200.value == 99 and kr200.registry == before["people.parttime"][a.pk] + 2
    # A submitted return keeps what was sent.
    ret_b.status = c.ReturnStatus.SUBMITTED
    ret_b.save()
    assert prefill_service.prefill(ret_b, actor=None) == 0


def test_form_marks_registry_values_and_an_override_needs_a_reason(en):
    survey = make_round()
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    prefill_service.prefill(ret, actor=None)
    count = stored(ret, "KR100").registry
    shown = f"{count.normalize():f}"
    client = en("county_a")
    page = client.get(form_url(ret))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-registry="{shown}"' in html and "From the registry" in html
    assert "Certified full-time science-popularization staff" in html
    assert 'inputmode="decimal"' in html and "Kepu code" in html  # KR150 is Kepu's code
    other = str(count + 5)
    shown_values = {k: v for k, v in page.context["form"].initial.items() if v}
    data = {**shown_values, "KR110": "0", "KR120": "0", "KR130": "0", "KR140": "0"}
    response = client.post(form_url(ret), {**data, "KR100": other, "action": "save"})
    assert response.status_code == 400
    assert "differs from the registry count" in response.content.decode()
    assert stored(ret, "KR100").value == count  # nothing written
    assert stored(ret, "KR110") is None
    response = client.post(
        form_url(ret),
        {**data, "KR100": other, "reason_KR100": "含借调人员", "action": "save"},
    )
    assert response.status_code == 302
    row = stored(ret, "KR100")
    assert row.value == count + 5 and row.source == c.ValueSource.OVERRIDDEN
    assert row.reason == "含借调人员"
    history = client.get(reverse("stats:return_detail", args=[ret.pk])).content.decode()
    assert "含借调人员" in history and 'data-override="KR100"' in history


def test_unreadable_values_are_named_and_nothing_is_saved(en):
    ret, _ = returns.assign(make_round(), county_a_unit(), actor=None)
    client = en("county_a")
    response = client.post(form_url(ret), {**GOOD, "KR100": "十", "KR110": "-1", "action": "save"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "is not a number" in html and "cannot be negative" in html
    assert not Value.objects.filter(ret=ret).exists()
    response = client.post(form_url(ret), {**GOOD, "KR130": "11", "action": "save"})
    assert response.status_code == 302
    page = client.get(form_url(ret)).content.decode()
    assert 'data-finding="breakdown:KR130"' in page and "is larger than its total" in page
    ret.refresh_from_db()
    assert ret.errors == 1 and ret.status == c.ReturnStatus.DRAFT


def test_a_warning_needs_an_explanation_then_the_return_is_submitted(en):
    ret, _ = returns.assign(make_round(), county_a_unit(), actor=None)
    client = en("county_a")
    assert client.post(form_url(ret), {**GOOD, "action": "save"}).status_code == 302
    activities = {"KH110": "5", "KH111": "2"}  # attendance below the number: R10 warns
    response = client.post(form_url(ret, "KP-5"), {**activities, "action": "submit"})
    assert response.status_code == 400
    assert "Explain each warning" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == c.ReturnStatus.DRAFT and ret.unexplained == 1
    page = client.get(form_url(ret, "KP-5")).content.decode()
    assert 'name="explain_rule:R10"' in page
    response = client.post(
        form_url(ret, "KP-5"),
        {**activities, "explain_rule:R10": "讲座为线上直播，现场仅记录主持人", "action": "submit"},
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == c.ReturnStatus.SUBMITTED and ret.submitted_by.username == "demo-county-a"
    page = client.get(form_url(ret)).content.decode()
    assert 'data-banner="submitted"' in page and "waiting for the county" in page
    assert 'name="action"' not in page  # read-only: no buttons


def test_the_lock_after_the_deadline_and_its_exception(en):
    today = clock.today()
    survey = make_round(units_due=today - datetime.timedelta(days=3))
    survey.opens_on = today - datetime.timedelta(days=30)
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    client = en("county_a")
    page = client.get(form_url(ret)).content.decode()
    assert 'data-banner="locked"' in page and "Ask the level above" in page
    response = client.post(form_url(ret), {**GOOD, "action": "save"})
    assert response.status_code == 400 and "the return is locked" in response.content.decode()
    assert not Value.objects.filter(ret=ret).exists()
    LockException.objects.create(
        round=survey, region=ret.region, ret=ret, until=today + datetime.timedelta(days=5),
        reason="系统故障补报", granted_by=User.objects.get(username="demo-city"),
    )  # fmt: skip
    response = client.post(form_url(ret), {**GOOD, "action": "submit"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == c.ReturnStatus.SUBMITTED and ret.late


def test_other_units_and_county_b_are_refused_and_nothing_changes(en):
    survey = make_round()
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    for persona in ("member", "county_b"):
        client = en(persona)
        assert client.get(form_url(ret)).status_code == 404
        assert client.post(form_url(ret), {**GOOD, "action": "save"}).status_code == 404
        assert client.get(reverse("stats:return_detail", args=[ret.pk])).status_code == 404
    assert not Value.objects.filter(ret=ret).exists()
    assert en("volunteer").get(form_url(ret)).status_code == 403
    # The member's staff fill their own unit's return.
    own, _ = returns.assign(survey, Organization.objects.get(name="四川省教育厅"), actor=None)
    client = en("member")
    assert client.post(form_url(own), {**GOOD, "action": "save"}).status_code == 302
    assert stored(own, "KR100").value == 10
    listed = client.get(reverse("stats:my_returns")).content.decode()
    assert f'data-return="{own.pk}"' in listed and f'data-return="{ret.pk}"' not in listed
    items = {i.key for i in workbench.collect(User.objects.get(username="demo-member"), None)}
    assert "stats.returns.fill" in items


def test_officers_list_the_returns_they_fill_on_behalf(en):
    survey = make_round()
    own, _ = returns.assign(survey, county_a_unit(), actor=None)
    behalf, _ = returns.assign(
        survey, Organization.objects.filter(region__code__startswith="510104")
        .exclude(pk=own.organization_id).first(), actor=None, filled_by_region=True,
    )  # fmt: skip
    html = en("county_a").get(reverse("stats:my_returns")).content.decode()
    assert f'data-return="{behalf.pk}"' in html and f'data-return="{own.pk}"' not in html
    assert en("county_b").get(reverse("stats:my_returns")).status_code == 200
    assert (
        f'data-return="{behalf.pk}"'
        not in en("county_b").get(reverse("stats:my_returns")).content.decode()
    )


def test_api_round_trip_and_errors():
    survey = make_round()
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    user = User.objects.get(username="demo-county-a")
    _token, key = core_services.create_api_token(user, actor=None, name="统计")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("api:stats-return-values", args=[ret.pk])
    response = api.put(
        url, {"values": {"KR100": "abc", "KR110": -2}}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 400
    assert "KR100" in body["fields"] and "cannot be negative" in body["fields"]["KR110"][0]
    assert not Value.objects.filter(ret=ret).exists()
    response = api.put(url, {"values": {**GOOD, "KR130": 4}}, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["values"]["KR100"] == 10 and data["values"]["KJ100"] == 50.5
    assert data["status"] == "draft" and data["errors"] == 0
    assert stored(ret, "KR100").source == c.ValueSource.API
    response = api.post(reverse("api:stats-return-submit", args=[ret.pk]))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    response = api.patch(url, {"values": {"KR100": 11}}, content_type="application/json")
    assert response.status_code == 409
    listed = api.get(reverse("api:stats-return-list"), {"status": "submitted"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert ret.pk in [r["id"] for r in rows]
    other, _ = returns.assign(survey, county_b_unit(), actor=None)
    response = api.put(
        reverse("api:stats-return-values", args=[other.pk]), {"values": {"KR100": 1}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    assert not Value.objects.filter(ret=other).exists()


def test_the_rule_form_shows_the_engines_errors(en):
    survey = make_round()
    url = reverse("stats:rule_create", args=[survey.data_set.pk])
    rule = {
        "code": "P01", "kind": "compare", "left": "KX999", "operator": "<=",
        "right": "KR100", "importance": "error", "message": "测试规则", "is_active": "on",
    }  # fmt: skip
    client = en("province")
    response = client.post(url, rule)
    assert (
        response.status_code == 400 and "Unknown indicator code: KX999" in response.content.decode()
    )
    response = client.post(url, {**rule, "left": "KR120", "right": "KR100 ** 2"})
    assert response.status_code == 400
    assert "Only indicator codes, numbers" in response.content.decode()
    assert response.context["form"].errors.get("right")
    response = client.post(url, {**rule, "code": "R01", "left": "KR120"})
    assert response.status_code == 400 and "already has a rule" in response.content.decode()
    assert client.post(url, {**rule, "left": "KR120"}).status_code == 302
    created = ValidationRule.objects.get(data_set=survey.data_set, code="P01")
    assert AuditEntry.objects.filter(
        action="stats.validationrule.created", object_id=str(created.pk)
    ).exists()
    edit = reverse("stats:rule_edit", args=[created.pk])
    assert client.post(edit, {**rule, "left": "KR120", "importance": "warning"}).status_code == 302
    created.refresh_from_db()
    assert created.importance == "warning"
    assert AuditEntry.objects.filter(action="stats.validationrule.changed").exists()
    assert en("city").get(url).status_code == 403
    assert en("city").post(url, {**rule, "code": "P02", "left": "KR120"}).status_code == 403
    assert not ValidationRule.objects.filter(code="P02").exists()
    page = client.get(reverse("stats:dataset_detail", args=[survey.data_set.pk])).content.decode()
    assert 'data-rule="P01"' in page and "Full-time staff in the people registry" in page


def test_the_province_loads_a_years_data_set(en):
    response = en("province").post(reverse("stats:dataset_load"), {"year": 2033})
    assert response.status_code == 302
    assert Region.objects.exists()
    from kepu.stats.models import DataSet

    data_set = DataSet.objects.get(year=2033)
    assert data_set.indicators.count() > 50 and data_set.rules.count() > 5
    assert AuditEntry.objects.filter(
        action="stats.dataset.created", object_id=str(data_set.pk)
    ).exists()
    assert en("county_a").post(reverse("stats:dataset_load"), {"year": 2034}).status_code == 403
    assert not DataSet.objects.filter(year=2034).exists()


def test_the_province_prefills_a_whole_round_by_a_job(en):
    survey = make_round()
    ret_a, _ = returns.assign(survey, county_a_unit(), actor=None)
    ret_b, _ = returns.assign(survey, county_b_unit(), actor=None)
    url = reverse("stats:round_prefill", args=[survey.pk])
    assert en("county_a").post(url).status_code == 403
    assert not Value.objects.filter(ret__round=survey).exists()
    response = en("province").post(url)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    for ret in (ret_a, ret_b):
        assert stored(ret, "KR100").source == c.ValueSource.REGISTRY
    assert Return.objects.get(pk=ret_a.pk).status == c.ReturnStatus.NOT_STARTED


def test_the_form_page_runs_a_fixed_number_of_queries(en):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_round()
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    prefill_service.prefill(ret, actor=None)
    returns.save_values(
        ret, {**GOOD, "KR130": "11"}, actor=None, reasons={"KR100": "含借调", "KR200": "含外聘"}
    )
    client = en("county_a")
    client.get(form_url(ret))  # warm the session's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(form_url(ret)).status_code == 200
    assert len(queries) <= 10


def test_my_returns_export_to_excel(en):
    own, _ = returns.assign(make_round(), Organization.objects.get(name="四川省教育厅"), actor=None)
    response = en("member").get(reverse("stats:my_returns"), {"format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert AuditEntry.objects.filter(action="stats.return.exported").exists()
    response = en("member").get(reverse("stats:my_returns"), {"year": "abc"})
    assert (
        response.status_code == 200 and f'data-return="{own.pk}"' not in response.content.decode()
    )


def test_province_adds_and_changes_an_indicator_and_a_rules_code_is_kept(as_persona):
    from kepu.stats.models import Indicator
    from kepu.stats.tests.helpers import make_round

    survey = make_round(2036)
    data_set = survey.data_set
    table = data_set.tables.get(code="KP-1")
    client = as_persona("province")
    client.cookies["django_language"] = "en"
    url = reverse("stats:indicator_create", args=[data_set.pk])
    bad = client.post(url, {"table": table.pk, "code": "kr 1", "name": "x", "unit": "人",
                             "value_type": "int", "order": 1})  # fmt: skip
    assert bad.status_code == 400 and "Capital letters and digits" in bad.content.decode()
    done = client.post(url, {"table": table.pk, "code": "KR180", "name": "科普讲解员",
                             "unit": "人", "value_type": "int", "order": 50,
                             "parent": data_set.indicators.get(code="KR100").pk,
                             "breakdown": "讲解"})  # fmt: skip
    assert done.status_code == 302
    added = Indicator.objects.get(data_set=data_set, code="KR180")
    assert added.parent.code == "KR100" and not added.official
    # KR140 is read by rule R01: renaming it away is refused, nothing changes.
    used = data_set.indicators.get(code="KR140")
    page = client.post(reverse("stats:indicator_edit", args=[used.pk]),
                       {"table": table.pk, "code": "KR149", "name": used.name, "unit": used.unit,
                        "value_type": used.value_type, "order": used.order})  # fmt: skip
    assert page.status_code == 400 and "Rule R01 reads KR140" in page.content.decode()
    assert data_set.indicators.filter(code="KR140").exists()
    assert as_persona("county_a").get(url).status_code == 403
