"""Matrix rows of the calls area.

The calls are the province's (四川省, 51); the entries come from county A (锦江区). The
province runs the calls and the formal check; Chengdu and county A read the calls and
recommend people of their regions; county B reaches none of the entries (404); member
staff read the calls and recommend for their unit; the volunteer applies for themself."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core import clock
from kepu.core.testing import Row, officers, statuses
from kepu.selections import choices as c
from kepu.selections.services import entries as entry_services
from kepu.selections.services import registers
from kepu.selections.tests import helpers_calls as h

PDF = b"%PDF-1.4 matrix"


def context(ctx):
    ctx["calls_draft"] = h.make_call(status="draft", title="矩阵草稿评选")
    call = h.make_call(title="矩阵开放评选")
    ctx["calls_open"] = call
    ctx["calls_nominee"] = h.person("矩阵候选人甲")
    ctx["calls_other"] = h.person("矩阵关联人乙")
    ctx["calls_entry"] = h.nominate(call, h.person("矩阵已推荐人"))
    ctx["calls_material"] = ctx["calls_entry"].materials.get()
    ctx["calls_api_call"] = h.make_call(
        title="矩阵接口评选", materials=[{"code": "form", "label": "推荐表", "required": False}]
    )
    checking = h.make_call(title="矩阵审查评选")
    ctx["calls_check_entry"] = h.nominate(checking, h.person("矩阵待审人"))
    ctx["calls_returned"] = h.nominate(checking, h.person("矩阵退回人"))
    entry_services.check_entry(ctx["calls_returned"], actor=None, result="return", note="缺推荐表")
    ctx["calls_flag"] = registers.open_flag(
        actor=None, person=h.person("矩阵处分人", years=None), reason="矩阵违规"
    )


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _call_data(ctx):
    today = clock.today()
    return {
        "title": "矩阵新评选", "kind": "honour", "year": today.year, "honour": "tianfu",
        "subject_kind": "person", "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=20)).isoformat(),
        "rubric": ctx["calls_open"].rubric_id, "reviewers_per_entry": 5, "min_reviews": 3,
        "severity": "z", "panel_quorum": 67, "pass_share": 50, "publicity_days": 7,
        "routes_choice": ["region"], "categories_text": "research 科研科普",
        "materials_text": "form 推荐表", "within_region": "on", "no_open_flag": "on",
        "quota_default": 5,
    }  # fmt: skip


def _nomination(ctx):
    return {
        "route": "region", "person": ctx["calls_nominee"].pk, "category": "research",
        "summary": "矩阵事迹", "material_form": SimpleUploadedFile("表.pdf", PDF),
    }  # fmt: skip


A_ENTRY = {"county_b": 404, "member": 404, "volunteer": 404}
A_SIDE = ("province", "city", "county_a")
CALL_READERS = officers(200, member=200)

ROWS = [
    Row("calls-list", "selections:call_list", expect=CALL_READERS),
    Row("calls-new", "selections:call_create", expect=officers(200)),
    Row("calls-new-post", "selections:call_create", "post", data=_call_data,
        expect=officers(302), changes=("province", "city", "county_a", "county_b")),
    Row("calls-open", "selections:call_detail", kwargs=_pk("calls_open"), expect=CALL_READERS),
    Row("calls-draft", "selections:call_detail", kwargs=_pk("calls_draft"),
        expect=officers(200, member=404)),
    Row("calls-edit", "selections:call_edit", kwargs=_pk("calls_open"), expect=officers(200,
        city=403, county_a=403, county_b=403)),
    Row("calls-edit-post", "selections:call_edit", "post", kwargs=_pk("calls_open"),
        data=_call_data, expect=officers(302, city=403, county_a=403, county_b=403),
        changes=("province",)),
    Row("calls-advance", "selections:call_advance", "post", kwargs=_pk("calls_draft"),
        expect=officers(302, city=403, county_a=403, county_b=403), changes=("province",)),
    Row("calls-nominate", "selections:entry_create", kwargs=_pk("calls_open"),
        expect=officers(200, province=404, member=200, volunteer=200)),
    Row("calls-nominate-post", "selections:entry_create", "post", kwargs=_pk("calls_open"),
        data=_nomination, expect=officers(302, province=404, county_b=400, member=400,
                                          volunteer=400), changes=("city", "county_a")),
    Row("calls-entries", "selections:entry_list",
        expect=officers(200, member=200, volunteer=200)),
    Row("calls-entry", "selections:entry_detail", kwargs=_pk("calls_entry"),
        expect=officers(200, **A_ENTRY)),
    Row("calls-check", "selections:entry_check", kwargs=_pk("calls_check_entry"),
        expect=officers(200, city=403, county_a=403, county_b=404)),
    Row("calls-check-post", "selections:entry_check", "post", kwargs=_pk("calls_check_entry"),
        data=lambda ctx: {"result": "pass"},
        expect=officers(302, city=403, county_a=403, county_b=404), changes=("province",)),
    Row("calls-complete", "selections:entry_complete", kwargs=_pk("calls_returned"),
        expect=officers(200, **A_ENTRY)),
    Row("calls-complete-post", "selections:entry_complete", "post", kwargs=_pk("calls_returned"),
        data=lambda ctx: {"summary": "补充后的事迹"}, expect=officers(302, **A_ENTRY),
        changes=A_SIDE),
    Row("calls-withdraw", "selections:entry_withdraw", "post", kwargs=_pk("calls_entry"),
        expect=officers(302, **A_ENTRY), changes=A_SIDE),
    Row("calls-material", "selections:entry_material",
        kwargs=lambda ctx: {"pk": ctx["calls_entry"].pk, "mid": ctx["calls_material"].pk},
        expect=officers(200, **A_ENTRY)),
    Row("calls-check-queue", "selections:check_queue", expect=officers(200)),
    Row("calls-flags", "selections:flag_list", expect=officers(200)),
    Row("calls-flag-new", "selections:flag_create", expect=officers(200)),
    Row("calls-flag-new-post", "selections:flag_create", "post",
        data=lambda ctx: {"person": ctx["calls_nominee"].pk, "reason": "矩阵新违规"},
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("calls-flag-close", "selections:flag_close", "post", kwargs=_pk("calls_flag"),
        expect=officers(302, county_b=404), changes=A_SIDE),
    Row("calls-relationships", "selections:relationship_list", expect=officers(200)),
    Row("calls-relationship-new", "selections:relationship_create", expect=officers(200)),
    Row("calls-relationship-new-post", "selections:relationship_create", "post",
        data=lambda ctx: {"expert": ctx["calls_nominee"].pk, "person": ctx["calls_other"].pk,
                          "kind": "kin"},
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("calls-api-calls", "api:selection-call-list", expect=officers(200, anonymous=401,
                                                                        member=200)),
    Row("calls-api-call", "api:selection-call-detail", kwargs=_pk("calls_open"),
        expect=officers(200, anonymous=401, member=200)),
    Row("calls-api-entries", "api:selection-entry-list",
        expect=officers(200, anonymous=401, member=200, volunteer=200)),
    Row("calls-api-entry", "api:selection-entry-detail", kwargs=_pk("calls_entry"),
        expect=officers(200, anonymous=401, **A_ENTRY)),
    Row("calls-api-nominate", "api:selection-entry-list", "post", json=True,
        data=lambda ctx: {"call": ctx["calls_api_call"].pk, "route": "region",
                          "person": ctx["calls_nominee"].pk, "category": "research",
                          "summary": "接口推荐"},
        expect=officers(201, anonymous=401, province=400, county_b=400, member=400,
                        volunteer=400), changes=("city", "county_a")),
]  # fmt: skip

_unused = (statuses, c)
