"""The output area through HTTP with the personas: the aggregates page (the services'
sums, unaccepted data excluded, per capita), the recompute, the Excel template's round
trip and the refusals of the upload, the exports, open data and the API."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry, Region, User
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, Value
from kepu.stats.services import approvals, returns
from kepu.stats.tests.helpers import GOOD, county_a_unit, county_b_unit, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(as_persona):
    def make(name):
        client = as_persona(name)
        client.cookies["django_language"] = "en"
        return client

    return make


def officer():
    return User.objects.get(username="demo-county-a")


def accepted(survey, org, values):
    ret, _ = returns.assign(survey, org, actor=None)
    returns.save_values(ret, values, actor=None)
    returns.submit(ret, actor=None)
    returns.accept(ret, actor=None)
    return ret


@pytest.fixture
def survey():
    s = make_round()
    accepted(s, county_a_unit(), GOOD)
    accepted(s, county_b_unit(), {"KR100": "7"})
    draft, _ = returns.assign(s, _third_unit(), actor=None)
    returns.save_values(draft, {"KR100": "1000"}, actor=None)  # not accepted: excluded
    return s


def _third_unit():
    from kepu.core.models import Organization

    return (
        Organization.objects.filter(region__path__startswith="51/5101/510104/")
        .exclude(pk=county_a_unit().pk)
        .first()
    )


def _page(client, survey, **params):
    query = "&".join(f"{k}={v}" for k, v in {"round": survey.pk, **params}.items())
    return client.get(f"{reverse('stats:aggregates')}?{query}")


def test_aggregates_show_the_services_sums_and_exclude_unaccepted(en, survey):
    province = Region.objects.get(code="51")
    response = _page(en("province"), survey, table="KP-1", indicator="KR100")
    assert response.status_code == 200
    own = response.context["own"]
    kr100 = next(r for r in response.context["rows"] if r["indicator"].code == "KR100")
    kept = Aggregate.objects.get(round=survey, region=province, indicator__code="KR100")
    assert kr100["cell"].value == kept.value == Decimal(17)  # 10 + 7, not the draft's 1000
    assert own.coverage.accepted == 2 and own.coverage.total == 3
    text = response.content.decode()
    assert "Counted: 2 of 3 reporting units accepted; 1 not yet (excluded" in text
    cities = {ch["column"].region.code: ch["cell"].value for ch in response.context["children"]}
    assert cities == {"5101": Decimal(10), "5107": Decimal(7)}
    assert "stats-aggregates-data" in text  # the chart's data


def test_per_capita_uses_the_population_or_says_it_is_missing(en, survey):
    city = Region.objects.get(code="5101")
    Region.objects.filter(pk=city.pk).update(population=2_000_000)
    Region.objects.filter(code="5107").update(population=None)
    from kepu.literacy.models import PopulationMargin

    PopulationMargin.objects.filter(region__code__in=["5101", "5107"]).delete()
    response = _page(en("province"), survey, table="KP-1", indicator="KR100")
    cells = {ch["column"].region.code: ch["cell"] for ch in response.context["children"]}
    assert cells["5101"].per_capita == Decimal("0.05")  # 10 per 2 million → 0.05 per 10k
    assert cells["5107"].per_capita is None
    county = en("county_a")
    mine = _page(county, survey, table="KP-1")
    assert mine.status_code == 200 and mine.context["region"].code == "510104"
    # county A never reads county B's or the province's figures
    b = Region.objects.get(code="510703" if Region.objects.filter(code="510703").exists()
                           else "5107")  # fmt: skip
    assert _page(county, survey, region=b.pk).status_code == 404
    assert _page(county, survey, region=Region.objects.get(code="51").pk).status_code == 404


def test_recompute_reports_drift_and_publish_needs_the_province_approval(en, survey):
    province = Region.objects.get(code="51")
    Aggregate.objects.filter(round=survey, region=province, indicator__code="KR100").update(value=1)
    client = en("province")
    response = client.post(reverse("stats:aggregates_recompute", args=[survey.pk]))
    assert response.status_code == 302
    assert Aggregate.objects.get(round=survey, region=province, indicator__code="KR100").value == 17
    entry = AuditEntry.objects.filter(action="stats.aggregate.recomputed").latest("pk")
    assert entry.detail["drift"] == 1
    assert en("county_a").post(
        reverse("stats:aggregates_recompute", args=[survey.pk])
    ).status_code in (403, 404)
    publish = reverse("stats:round_publish", args=[survey.pk])
    client.post(publish)
    survey.refresh_from_db()
    assert survey.status == c.RoundStatus.OPEN  # the province has not approved
    assert en("anonymous").get(reverse("stats:open_data")).status_code == 200
    assert en("anonymous").get(reverse("stats:open_data_file", args=[survey.pk])).status_code == 404


def _rows(content: bytes, sheet=0):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(sheet).to_python()


def _template(client, survey, table="KP-1"):
    response = client.get(reverse("stats:table_template", args=[survey.pk, table]))
    assert response.status_code == 200
    return _rows(b"".join(response.streaming_content))


def _xlsx(rows) -> io.BytesIO:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    book.close()
    out.seek(0)
    out.name = "kp1.xlsx"
    return out


def _upload(client, survey, rows):
    return client.post(reverse("stats:table_upload", args=[survey.pk]), {"file": _xlsx(rows)})


def test_template_round_trip_saves_the_values(en):
    survey = make_round()
    ret, _ = returns.assign(survey, county_a_unit(), actor=None)
    returns.save_values(ret, {"KR100": "3"}, actor=None)
    client = en("county_a")
    rows = _template(client, survey)
    assert rows[0][:2] == ["表号", "KP-1"] and rows[1][3] == "KR100"
    unit_row = next(r for r in rows[4:] if r[0] == county_a_unit().name)
    assert unit_row[3] == 3  # pre-filled with the current value
    assert all(r[0] != county_b_unit().name for r in rows[4:])  # only the officer's units
    unit_row[3:8] = [12, 2, 6, 5, "–"]
    response = _upload(client, survey, rows)
    assert response.status_code == 302, response.content.decode()[:2000]
    values = dict(ret.values.values_list("indicator__code", "value"))
    assert values["KR100"] == 12 and values["KR130"] == 5 and values["KR150"] is None
    assert Value.objects.get(ret=ret, indicator__code="KR100").source == c.ValueSource.IMPORTED


def test_a_changed_layout_is_refused_naming_what_changed(en):
    survey = make_round()
    returns.assign(survey, county_a_unit(), actor=None)
    client = en("county_a")
    rows = _template(client, survey)
    moved = [list(r) for r in rows]
    moved[1][3], moved[1][4] = moved[1][4], moved[1][3]
    response = _upload(client, survey, moved)
    assert response.status_code == 400
    assert "columns moved: KR110、KR100" in response.content.decode()
    missing = [rows[0]] + [r[:3] + r[4:] for r in rows[1:]]
    assert "missing columns: KR100" in _upload(client, survey, missing).content.decode()
    other = [list(r) for r in rows]
    other[0][1] = "KP-9"
    assert "cell B1 must hold a table code" in _upload(client, survey, other).content.decode()
    assert Value.objects.count() == 0


def test_bad_rows_are_reported_row_by_row_and_nothing_is_written(en):
    survey = make_round()
    a, _ = returns.assign(survey, county_a_unit(), actor=None)
    b, _ = returns.assign(survey, county_b_unit(), actor=None)
    third, _ = returns.assign(survey, _third_unit(), actor=None)
    client = en("county_a")
    rows = _template(client, survey)
    good = next(r for r in rows[4:] if r[0] == county_a_unit().name)
    good[3] = 5
    bad = next(list(r) for r in rows[4:] if r[0] == _third_unit().name)
    bad[3], bad[4] = "十", -1
    outsider = list(good)
    outsider[0], outsider[1], outsider[2] = county_b_unit().name, "", str(county_b_unit().pk)
    response = _upload(client, survey, [*rows[:4], good, bad, outsider])
    assert response.status_code == 400
    errors = response.context["upload"].errors
    by_row = {(e["row"], e["code"]) for e in errors}
    assert (6, "KR100") in by_row and (6, "KR110") in by_row  # text, negative
    assert not any(e["row"] == 5 for e in errors)  # the good row
    assert any(e["row"] == 7 and "does not report to you" in e["message"] for e in errors)
    assert Value.objects.filter(ret__in=[a, b, third]).count() == 0


def test_exports_open_with_calamine_and_are_audited(en, survey):
    client = en("province")
    response = client.get(
        reverse("stats:table_export", args=[survey.pk, "KP-1"])
        + f"?region={Region.objects.get(code='51').pk}"
    )
    assert response.status_code == 200
    rows = _rows(b"".join(response.streaming_content))
    kr100 = next(r for r in rows if r[0] == "KR100")
    assert kr100[3] == 17  # the province's total
    assert AuditEntry.objects.filter(action="stats.aggregate.exported").exists()
    response = client.get(reverse("stats:dataset_export", args=[survey.pk]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheet_names) == 5
    assert AuditEntry.objects.filter(action="stats.dataset.exported").exists()
    county = en("county_a").get(reverse("stats:dataset_export", args=[survey.pk]))
    codes = [r[0] for r in _rows(b"".join(county.streaming_content))[1:]]
    assert codes == ["510104"]  # county A's own region only


def _approve_all(survey):
    actor = User.objects.get(username="demo-province")
    for code in ("510104", "5101", "51"):
        approvals.approve(survey, Region.objects.get(code=code), actor=actor)


def test_open_data_shows_only_published_rounds_with_safe_csv_cells(
    en, django_capture_on_commit_callbacks, settings
):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    survey = make_round()
    accepted(survey, county_a_unit(), GOOD)
    anonymous = en("anonymous")
    assert survey.title not in anonymous.get(reverse("stats:open_data")).content.decode()
    _approve_all(survey)
    from kepu.stats.models import RegionApproval

    assert RegionApproval.objects.filter(
        round=survey, region__code="51", status="approved"
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = en("province").post(reverse("stats:round_publish", args=[survey.pk]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == c.RoundStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="stats.surveyround.published").exists()
    anonymous.get(reverse("stats:open_data"))  # the stale page, refreshed meanwhile
    page = anonymous.get(reverse("stats:open_data")).content.decode()
    assert survey.title in page and "National headline values" in page
    Region.objects.filter(code="5101").update(name="=HYPERLINK(1)")
    from kepu.core import publiccache, regiontree

    regiontree.forget()
    publiccache.bump("stats.open")
    anonymous.get(reverse("stats:open_data_file", args=[survey.pk]))
    csv = anonymous.get(reverse("stats:open_data_file", args=[survey.pk]))
    text = csv.content.decode("utf-8-sig")
    assert "KR100" in text and ",'=HYPERLINK(1)," in text


def test_api_is_scoped(en, survey):
    url = reverse("api:stats-aggregate-list")
    data = en("province").get(url, {"round": survey.pk, "indicator": "KR100"}).json()
    rows = data["results"] if isinstance(data, dict) else data
    by_region = {r["region"]: r["value"] for r in rows}
    assert Decimal(by_region["51"]) == 17
    mine = en("county_a").get(url, {"round": survey.pk, "indicator": "KR100"}).json()
    mine = mine["results"] if isinstance(mine, dict) else mine
    assert {r["region"] for r in mine} == {"510104"}
    assert en("member").get(url).status_code == 403
    assert en("anonymous").get(url).status_code in (401, 403)


def test_the_index_reads_published_survey_figures(en, survey):
    from kepu.literacy.index_sources import SOURCES

    funding, media = SOURCES["survey.funding"], SOURCES["survey.media"]
    assert not funding.available and not media.available  # nothing published yet
    from kepu.stats.models import SurveyRound

    SurveyRound.objects.filter(pk=survey.pk).update(status=c.RoundStatus.PUBLISHED)
    province = Region.objects.get(code="51")
    Region.objects.filter(pk=province.pk).update(population=1_000_000)
    province.refresh_from_db()
    from kepu.literacy.models import PopulationMargin

    PopulationMargin.objects.filter(region=province).delete()
    assert funding.available
    # KJ100 of the accepted returns: 50.5 万元 over 1,000,000 residents = 0.505 yuan each
    assert funding.read([province], survey.year) == {province.pk: pytest.approx(0.505)}
    assert media.read([province], survey.year) == {province.pk: 0.0}
    assert funding.read([province], survey.year - 1) == {}  # no published round that early


def test_the_workbench_offers_an_approved_survey_to_publish():
    from kepu.core import workbench
    from kepu.stats.workbench import rounds_to_publish

    survey = make_round()
    accepted(survey, county_a_unit(), GOOD)
    province = User.objects.get(username="demo-province")
    assert [i for i in rounds_to_publish(province, None) if i] == []
    _approve_all(survey)
    items = [i for i in rounds_to_publish(province, None) if i]
    assert [(i.key, i.count) for i in items] == [("stats.rounds.publish", 1)]
    assert [i for i in rounds_to_publish(officer(), None) if i] == []  # county A
    assert workbench.providers()


def test_large_uploads_and_data_set_exports_run_as_jobs(en, survey, monkeypatch):
    from kepu.core.models import Job
    from kepu.stats.services import excel_io
    from kepu.stats.views import output_excel

    monkeypatch.setattr(excel_io, "INLINE_ROWS", 0)
    monkeypatch.setattr(output_excel, "DATASET_INLINE_REGIONS", 0)
    client = en("county_a")
    fresh = make_round(2026)
    ret, _ = returns.assign(fresh, county_a_unit(), actor=None)
    rows = _template(client, fresh)
    unit_row = next(r for r in rows[4:] if r[0] == county_a_unit().name)
    unit_row[3] = 4
    response = _upload(client, fresh, rows)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.filter(kind=excel_io.IMPORT_JOB).latest("created_at")
    assert job.status == "succeeded", job.error
    assert ret.values.get(indicator__code="KR100").value == 4
    response = en("province").get(reverse("stats:dataset_export", args=[survey.pk]))
    assert response.status_code == 302
    job = Job.objects.filter(kind=output_excel.DATASET_JOB).latest("created_at")
    assert job.status == "succeeded" and job.file_name.endswith(".xlsx")
    assert AuditEntry.objects.filter(action="stats.dataset.exported").exists()
