"""The infrastructure census: field definitions and answers checked per type,
one return per listed base, completeness by region, the return form, scope, export."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from kepu.bases import services
from kepu.bases.models import CensusReturn, CensusRound
from kepu.bases.models.subsidy import ReturnStatus
from kepu.bases.services.census import check_fields, clean_values, completeness
from kepu.bases.tests.helpers import make_base
from kepu.bases.tests.subsidy_helpers import FIELDS, GOOD_ANSWERS, census_round
from kepu.core.errors import DomainError, StateConflict
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    "fields, message",
    [
        ([], "Give at least one field."),
        ([{"code": "Area", "label": "面积", "type": "int"}], "Field 1: the code is lower-case"),
        (
            [
                {"code": "a", "label": "甲", "type": "int"},
                {"code": "a", "label": "乙", "type": "int"},
            ],
            "Field 2: the code a is used twice.",
        ),
        ([{"code": "a", "label": "", "type": "int"}], "Field 1: give a label"),
        ([{"code": "a", "label": "甲", "type": "date"}], "Field 1: the type is one of"),
        ([{"code": "a", "label": "甲", "type": "int", "min": 5, "max": 1}], "min is above max"),
        ([{"code": "a", "label": "甲", "type": "int", "min": "x"}], "min and max are numbers"),
        ([{"code": "a", "label": "甲", "type": "choice", "choices": ["一"]}], "at least two"),
        (["a"], "Field 1: not a field definition."),
    ],
)
def test_bad_field_definitions_are_named(fields, message):
    with pytest.raises(DomainError) as caught:
        check_fields(fields)
    assert any(message in m for m in caught.value.message_dict["fields"])


@pytest.mark.parametrize(
    "answers, code, message",
    [
        ({"area_m2": "abc"}, "area_m2", "Enter a number."),
        ({"area_m2": "-1"}, "area_m2", "At least 0."),
        ({"area_m2": "100001"}, "area_m2", "At most 100000."),
        ({"visitors": "12.5"}, "visitors", "Enter a whole number."),
        ({"owner": "集体"}, "owner", "Choose one of the listed answers."),
        ({"barrier_free": "maybe"}, "barrier_free", "Answer yes or no."),
        ({"notes": "字" * 501}, "notes", "At most 500 characters."),
    ],
)
def test_answers_are_checked_per_field_type(answers, code, message):
    fields = check_fields(FIELDS)
    with pytest.raises(DomainError) as caught:
        clean_values(fields, {**GOOD_ANSWERS, **answers}, complete=False)
    assert caught.value.message_dict == {code: [message]}


def test_required_answers_only_when_submitting():
    fields = check_fields(FIELDS)
    assert clean_values(fields, {"owner": "民办"}, complete=False) == {"owner": "民办"}
    with pytest.raises(DomainError) as caught:
        clean_values(fields, {"owner": "民办"}, complete=True)
    assert set(caught.value.message_dict) == {"area_m2", "visitors"}
    assert clean_values(fields, GOOD_ANSWERS, complete=True) == {
        "area_m2": "1200.5",
        "visitors": 35000,
        "owner": "公办",
        "barrier_free": True,
    }


def test_one_return_per_listed_base_and_completeness_by_region():
    a1 = make_base("锦江区普查馆一")
    a2 = make_base("锦江区普查馆二", unit_name="锦江区普查馆二单位")
    b1 = make_base("涪城区普查馆", region_code="510703")
    revoked = make_base("锦江区已撤销馆", unit_name="锦江区已撤销馆单位")
    services.set_base_status(revoked, "revoked", actor=None, reason="测试")
    rnd = census_round()
    returns = {r.base_id: r for r in CensusReturn.objects.filter(round=rnd)}
    assert {a1.pk, a2.pk, b1.pk} <= set(returns) and revoked.pk not in returns
    assert rnd.expected == len(returns)
    services.save_census_return(returns[a1.pk], actor=None, values=GOOD_ANSWERS, submit=True)
    services.save_census_return(returns[b1.pk], actor=None, values=GOOD_ANSWERS, submit=True)
    services.accept_census_return(returns[b1.pk], actor=None)
    whole, *rows = completeness(rnd)
    by_name = {row.region.name: row for row in rows}
    chengdu, mianyang = by_name["成都市"], by_name["绵阳市"]
    chengdu_total = CensusReturn.objects.filter(round=rnd, region__path__startswith="51/5101/")
    assert chengdu.expected == chengdu_total.count() and chengdu.done == 1
    assert mianyang.done == 1 and whole.done == 2 and whole.expected == rnd.expected
    from kepu.core.models import Region

    inner = completeness(rnd, Region.objects.get(code="5101"))
    jinjiang = [row for row in inner[1:] if row.region.code == "510104"][0]
    assert jinjiang.done == 1 and jinjiang.expected >= 2 and jinjiang.rate <= 50


def test_a_wrong_answer_refuses_the_whole_return_and_a_closed_census_refuses_all():
    base = make_base("锦江区普查馆三")
    rnd = census_round()
    ret = CensusReturn.objects.get(round=rnd, base=base)
    before = fingerprint()
    with pytest.raises(DomainError):
        services.save_census_return(
            ret, actor=None, values={**GOOD_ANSWERS, "visitors": "很多"}, submit=True
        )
    assert fingerprint() == before
    services.close_census_round(rnd, actor=None)
    with pytest.raises(StateConflict):
        services.save_census_return(ret, actor=None, values=GOOD_ANSWERS, submit=False)
    with pytest.raises(StateConflict):
        services.close_census_round(rnd, actor=None)


def test_opening_a_census_with_bad_fields_writes_nothing(as_persona):
    client = english(as_persona("province"))
    before = fingerprint()
    response = client.post(
        reverse("bases:census_create"),
        {"region": "51", "name": "坏普查", "year": 2026, "deadline": "2099-01-01",
         "fields_json": '[{"code": "a", "label": "甲", "type": "int"'},
    )  # fmt: skip
    assert response.status_code == 400 and "This is not valid JSON" in response.content.decode()
    response = client.post(
        reverse("bases:census_create"),
        {"region": "51", "name": "坏普查", "year": 2026, "deadline": "2099-01-01",
         "fields_json": '[{"code": "a", "label": "甲", "type": "date"}]'},
    )  # fmt: skip
    assert (
        response.status_code == 400 and "Field 1: the type is one of" in response.content.decode()
    )
    assert fingerprint() == before
    assert CensusRound.objects.filter(name="坏普查").count() == 0


def test_the_unit_files_its_return_through_the_form_and_the_officer_accepts(as_persona):
    base = make_base("锦江区普查馆四")
    rnd = census_round()
    ret = CensusReturn.objects.get(round=rnd, base=base)
    county = english(as_persona("county_a"))
    url = reverse("bases:censusreturn_fill", args=[ret.pk])
    page = county.get(url).content.decode()
    assert "展厅面积 (m²)" in page and "Submit the return" in page
    queue = county.get(reverse("bases:censusreturn_queue")).content.decode()
    assert "锦江区普查馆四" in queue
    response = county.post(url, {**GOOD_ANSWERS, "visitors": "-3", "action": "submit"})
    assert response.status_code == 400 and "At least 0." in response.content.decode()
    assert county.post(url, {**GOOD_ANSWERS, "action": "submit"}).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED and ret.values["visitors"] == 35000
    assert "锦江区普查馆四" not in county.get(reverse("bases:censusreturn_queue")).content.decode()
    city = english(as_persona("city"))
    assert city.post(reverse("bases:censusreturn_accept", args=[ret.pk])).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    # County B sees the province's census but not 锦江区's return.
    other = as_persona("county_b")
    assert other.get(reverse("bases:census_detail", args=[rnd.pk])).status_code == 200
    assert other.get(url).status_code == 404
    export = city.get(reverse("bases:census_export", args=[rnd.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:4] == ["Base", "Region", "Status", "展厅面积"]
    assert ["锦江区普查馆四", "锦江区", "Accepted", "1200.5"] in [r[:4] for r in rows]


def test_completeness_page_drills_down(as_persona):
    make_base("锦江区普查馆五")
    rnd = census_round()
    client = english(as_persona("province"))
    page = client.get(reverse("bases:census_detail", args=[rnd.pk])).content.decode()
    assert "Completeness in 四川省" in page and "?area=5101" in page
    page = client.get(reverse("bases:census_detail", args=[rnd.pk]) + "?area=5101").content
    assert "Completeness in 成都市" in page.decode()


def test_the_workbench_lists_the_returns_to_file(as_persona):
    make_base("锦江区普查馆六")
    census_round()
    page = english(as_persona("county_a")).get(reverse("core:home")).content.decode()
    assert "Census returns to file" in page
