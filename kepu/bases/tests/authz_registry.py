"""Matrix rows of the registry area.

A listed county base in county B (涪城区): the province and county B reach it, the city
of Chengdu and county A never (404), the member unit's staff neither (not their unit).
A provincial base of the member unit (四川省教育厅, region 51): its staff edit its
details, as the province may; the cities and counties never reach it. A revoked base in
county B is not public: the API shows it to its officers only. Registering a base for a
unit of county A: the officers above it may (302), county B cannot see the unit (400).
The portal's pages and the API answer everyone (listed bases)."""

import datetime

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.tests.helpers import make_base, make_unit
from kepu.core.models import Organization
from kepu.core.testing import Row, officers, statuses

EDU = "四川省教育厅"


def context(ctx):
    ctx["reg_base_b"] = make_base("矩阵涪城科技馆", region_code="510703", number="MX-B-001")
    revoked = make_base("矩阵涪城撤销基地", region_code="510703")
    ctx["reg_base_revoked"] = services.set_base_status(
        revoked, c.BaseStatus.REVOKED, actor=None, reason="矩阵撤销"
    )
    ctx["reg_base_member"] = services.register_base(
        actor=None,
        organization=Organization.objects.get(name=EDU),
        level=c.BaseLevel.PROVINCIAL,
        category=c.BaseCategory.RESEARCH,
        valid_from=datetime.date(2024, 6, 1),
        name="矩阵教育厅科普基地",
    )
    make_unit("矩阵锦江新基地单位", "510104")


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new(ctx):
    return {
        "unit": "矩阵锦江新基地单位",
        "level": "county",
        "category": "venue",
        "valid_from": "2025-03-01",
        "open_days": "260",
        "area_m2": "900",
        "staff": "5",
        "docents": "3",
        "opening_hours": "9:00—17:00",
    }


def _details(ctx):
    return {
        "name": "矩阵改名科技馆",
        "category": "venue",
        "place": "",
        "contact_name": "王老师",
        "contact_phone": "0816-2345678",
        "open_days": "300",
        "opening_hours": "周二至周日 9:00—17:00",
        "area_m2": "1500",
        "staff": "8",
        "docents": "6",
        "description": "矩阵简介",
    }


A_SIDE = ("province", "city", "county_a")
B_SIDE = ("province", "county_b")
NOT_B = {"city": 404, "county_a": 404, "member": 404}
NOT_MEMBER = {"city": 404, "county_a": 404, "county_b": 404}
ALL_OK = statuses(200)

ROWS = [
    Row("base-list", "bases:base_list", expect=officers(200, member=200)),
    Row("base-export", "bases:base_export", expect=officers(200)),
    Row("base-new", "bases:base_create", expect=officers(200)),
    Row("base-new-post", "bases:base_create", "post", data=_new,
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("base-b", "bases:base_detail", kwargs=_id("reg_base_b"), expect=officers(200, **NOT_B)),
    Row("base-b-edit", "bases:base_update", kwargs=_id("reg_base_b"),
        expect=officers(200, **NOT_B)),
    Row("base-b-edit-post", "bases:base_update", "post", kwargs=_id("reg_base_b"), data=_details,
        expect=officers(302, **NOT_B), changes=B_SIDE),
    Row("base-member", "bases:base_detail", kwargs=_id("reg_base_member"),
        expect=officers(200, member=200, **NOT_MEMBER)),
    Row("base-member-edit-post", "bases:base_update", "post", kwargs=_id("reg_base_member"),
        data=_details, expect=officers(302, member=302, **NOT_MEMBER),
        changes=("province", "member")),
    Row("public-bases", "bases:public_base_list", expect=ALL_OK),
    Row("public-bases-map", "bases:public_base_map", expect=ALL_OK),
    Row("public-bases-points", "bases:public_base_points", expect=ALL_OK),
    Row("public-base-b", "bases:public_base_detail", kwargs=_id("reg_base_b"), expect=ALL_OK),
    Row("public-base-revoked", "bases:public_base_detail", kwargs=_id("reg_base_revoked"),
        expect=statuses(404)),
    Row("api-bases", "api:base-list", expect=ALL_OK),
    Row("api-base-b", "api:base-detail", kwargs=_id("reg_base_b"), expect=ALL_OK),
    Row("api-base-revoked", "api:base-detail", kwargs=_id("reg_base_revoked"),
        expect=statuses(404, province=200, county_b=200)),
]  # fmt: skip
