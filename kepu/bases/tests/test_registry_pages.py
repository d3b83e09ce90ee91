"""The base registry through HTTP: the back-office list's filters and scope, its export,
registering and editing with bad input (a mobile number as office phone, a place of
another unit, a second listed base at one level: clear errors, nothing written), the
unit's own staff editing details, the public directory, page, map points and API (no
liaison for the public), and the daily expiry."""

import datetime
import json

import pytest
from django.urls import reverse

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import Base
from kepu.bases.tests.helpers import make_base, make_unit
from kepu.core import jobs, schedules
from kepu.core.excel import sheet_rows
from kepu.core.models import AuditEntry, Organization
from kepu.resources.tests.helpers import make_resource, publish

pytestmark = pytest.mark.django_db

LIST = reverse("bases:base_list")
NEW = reverse("bases:base_create")


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def bases(db):
    return {
        "prov_a": make_base(
            "锦江青少年科技馆",
            level=c.BaseLevel.PROVINCIAL,
            valid_from=datetime.date(2022, 6, 1),
            number="SC-T-001",
        ),
        "county_a": make_base("锦江社区科普馆", valid_from=datetime.date(2025, 3, 1)),
        "county_b": make_base("涪城农业科普园", region_code="510703", category="rural"),
    }


def _names(response):
    return [b.name for b in response.context["page"]]


def test_the_list_filters_within_the_scope(as_persona, bases):
    province = as_persona("province")
    assert sorted(_names(province.get(LIST))) == sorted(b.name for b in bases.values())
    assert _names(province.get(LIST, {"level": "provincial"})) == ["锦江青少年科技馆"]
    assert _names(province.get(LIST, {"category": "rural"})) == ["涪城农业科普园"]
    assert _names(province.get(LIST, {"q": "社区"})) == ["锦江社区科普馆"]
    assert _names(province.get(LIST, {"region": "510703"})) == ["涪城农业科普园"]
    assert _names(province.get(LIST, {"valid_to_before": "2027-06-01"})) == ["锦江青少年科技馆"]
    assert sorted(_names(province.get(LIST, {"valid_to_after": "2029-01-01"}))) == [
        "涪城农业科普园",
        "锦江社区科普馆",
    ]
    services.set_base_status(bases["county_a"], "warned", actor=None, reason="评估不合格")
    assert _names(province.get(LIST, {"status": "warned"})) == ["锦江社区科普馆"]
    county_a = as_persona("county_a")
    assert sorted(_names(county_a.get(LIST))) == ["锦江社区科普馆", "锦江青少年科技馆"]
    outside = county_a.get(LIST, {"region": "510703"})  # not in county A's scope
    assert outside.status_code == 200
    assert _names(outside) == [] and outside.context["filter"].errors
    assert _names(county_a.get(LIST, {"valid_to_before": "not-a-date"})) == []


def test_the_export_writes_the_filtered_rows_and_is_audited(as_persona, bases):
    response = as_persona("province").get(reverse("bases:base_export"), {"region": "510104"})
    assert response.status_code == 200
    rows = [cells for _n, cells in sheet_rows(b"".join(response.streaming_content))]
    assert sorted(r[0] for r in rows[1:]) == ["锦江社区科普馆", "锦江青少年科技馆"]
    entry = AuditEntry.objects.filter(action="bases.base.exported").latest("seq")
    assert entry.detail["rows"] == 2 and entry.detail["filters"] == {"region": "510104"}
    assert as_persona("member").get(reverse("bases:base_export")).status_code == 403


def _form(**over):
    data = {
        "unit": "锦江新科普单位",
        "level": "county",
        "category": "venue",
        "valid_from": "2025-03-01",
        "open_days": "260",
        "area_m2": "900",
        "staff": "5",
        "docents": "3",
        "contact_phone": "028-86123456",
    }
    data.update(over)
    return data


def _errors(response):
    form = response.context["form"]
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


def test_registering_refuses_bad_input_and_writes_nothing(as_persona, bases):
    unit = make_unit("锦江新科普单位", "510104")
    other = make_unit("锦江别家单位", "510104")
    foreign = publish(make_resource(organization=other, title="别家的科技馆"))
    client = _english(as_persona("county_a"))
    before = Base.objects.count()
    mobile = client.post(NEW, _form(contact_phone="13812345678"))
    assert mobile.status_code == 400
    assert _errors(mobile)["contact_phone"] == [
        "Give an office number such as 028-86123456 (a mobile number is not kept here)."
    ]
    not_its_own = client.post(NEW, _form(place=str(foreign.pk)))
    assert not_its_own.status_code == 400
    assert _errors(not_its_own)["place"] == ["Choose a place of the unit's own in the catalog."]
    twice = client.post(NEW, _form(unit="锦江青少年科技馆", level="provincial"))
    assert twice.status_code == 400
    assert _errors(twice)["__all__"] == ["This unit is already a listed base at this level."]
    outside = client.post(NEW, _form(unit="涪城农业科普园"))  # a unit of county B
    assert outside.status_code == 400
    assert "unit" in _errors(outside)
    assert Base.objects.count() == before
    assert not Base.objects.filter(organization=unit).exists()


def test_an_officer_registers_a_base_at_its_unit_s_place(as_persona, bases):
    unit = make_unit("锦江新科普单位", "510104")
    place = publish(make_resource(organization=unit, title="锦江新科普馆"))
    client = _english(as_persona("county_a"))
    response = client.post(NEW, _form(place=str(place.pk), number="JJ-2025-001", batch="2025年"))
    base = Base.objects.get(organization=unit)
    assert response.status_code == 302
    assert response["Location"] == reverse("bases:base_detail", args=[base.pk])
    assert (base.name, base.level, base.region.code, base.place_id) == (
        "锦江新科普单位",
        "county",
        "510104",
        place.pk,
    )
    assert base.valid_to == datetime.date(2030, 2, 28)  # a five-year cycle
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "成都市锦江区东大街100号" in text
    assert reverse("resources:resource_detail", args=[place.pk]) in text
    assert "Base registered" in text  # the history, from the audit trail
    assert AuditEntry.objects.filter(action="bases.base.created", object_id=str(base.pk)).exists()


def test_the_unit_s_staff_edit_their_own_base_s_details_only(as_persona):
    edu = Organization.objects.get(name="四川省教育厅")
    base = services.register_base(
        actor=None,
        organization=edu,
        level="provincial",
        category="research",
        valid_from=datetime.date(2024, 6, 1),
    )
    member = _english(as_persona("member"))
    url = reverse("bases:base_update", args=[base.pk])
    details = {
        "name": "教育厅科普基地",
        "category": "research",
        "place": "",
        "contact_name": "陈老师",
        "contact_phone": "028-86000000",
        "open_days": "250",
        "opening_hours": "工作日 9:00—17:00",
        "area_m2": "600",
        "staff": "4",
        "docents": "2",
        "description": "",
    }
    refused = member.post(url, {**details, "contact_phone": "13912345678"})
    assert refused.status_code == 400
    base.refresh_from_db()
    assert base.contact_phone == ""
    assert member.post(url, {**details, "level": "national"}).status_code == 302
    base.refresh_from_db()
    assert (base.name, base.open_days, base.level) == ("教育厅科普基地", 250, "provincial")
    other = make_base("锦江社区科普馆")
    assert member.get(reverse("bases:base_update", args=[other.pk])).status_code == 404


def test_the_public_directory_page_map_and_api(client, as_persona, bases):
    unit = bases["county_a"].organization
    place = publish(make_resource(organization=unit, title="锦江社区科普馆"))
    services.change_base(bases["county_a"], actor=None, place=place, opening_hours="周末开放")
    services.set_base_status(bases["county_b"], "revoked", actor=None, reason="复查不合格")
    directory = client.get(reverse("bases:public_base_list"))
    assert directory.status_code == 200
    assert sorted(_names(directory)) == ["锦江社区科普馆", "锦江青少年科技馆"]
    assert _names(client.get(reverse("bases:public_base_list"), {"level": "county"})) == [
        "锦江社区科普馆"
    ]
    assert _names(client.get(reverse("bases:public_base_list"), {"region": "510703"})) == []
    page = client.get(reverse("bases:public_base_detail", args=[bases["county_a"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "周末开放" in text and "成都市锦江区东大街100号" in text
    assert "028-" not in text  # no liaison phone on the portal
    gone = client.get(reverse("bases:public_base_detail", args=[bases["county_b"].pk]))
    assert gone.status_code == 404
    points = json.loads(client.get(reverse("bases:public_base_points")).content)
    assert points["count"] == 1 and not points["truncated"]
    point = points["points"][0]
    assert (point["title"], point["type"], point["lat"], point["lon"]) == (
        "锦江社区科普馆",
        "county",
        30.6516,
        104.083,
    )
    assert point["url"] == reverse("bases:public_base_detail", args=[bases["county_a"].pk])
    assert client.get(reverse("bases:public_base_map")).status_code == 200
    # The catalog's own map marks the place as a base (one point, not two).
    catalog = json.loads(_english(client).get(reverse("resources:map_points")).content)
    marked = {p["uid"]: p.get("marks") for p in catalog["points"]}
    assert marked[str(place.uid)] == ["County science-education base"]
    client.cookies.pop("django_language")
    api = client.get(reverse("api:base-list"), {"level": "county"}).json()
    assert [b["name"] for b in api["results"]] == ["锦江社区科普馆"]
    assert "contact_phone" not in api["results"][0]
    officer = as_persona("province").get(reverse("api:base-list"), {"status": "revoked"}).json()
    assert [b["name"] for b in officer["results"]] == ["涪城农业科普园"]
    assert officer["results"][0]["contact_phone"] == ""
    bad = as_persona("province").get(reverse("api:base-list"), {"level": "galactic"})
    assert bad.status_code == 400


def test_the_daily_schedule_expires_bases_past_their_cycle(bases):
    assert schedules.SCHEDULES["bases.expire"].at == datetime.time(0, 40)
    Base.objects.filter(pk=bases["county_b"].pk).update(
        valid_from=datetime.date(2019, 1, 1), valid_to=datetime.date(2023, 12, 31)
    )
    job = jobs.start("bases.expire", actor=None)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result == {"expired": 1}
    assert Base.objects.get(pk=bases["county_b"].pk).status == c.BaseStatus.EXPIRED
    assert Base.objects.get(pk=bases["county_a"].pk).status == c.BaseStatus.ACTIVE
