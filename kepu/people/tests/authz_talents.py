"""Talent evaluation and high-level talent service rows of the authorization matrix
(gathered by `authz.py`): objects in county B (涪城区) that county A must never reach."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core.testing import Row, officers
from kepu.people.talents import services
from kepu.people.tests.authz import valid_id
from kepu.people.tests.talent_fixtures import honour_round, person, region, rubric


def context(ctx):
    b = "510703"
    sheet = rubric()
    ctx["round_b"] = honour_round(code=b, name="涪城区科普使者评选")
    ctx["round_draft_b"] = services.create_round(
        actor=None, name="涪城区草稿轮次", region=region(b), kind="honour", honour="advanced",
        year=2026, opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 12, 31),
        rubric=sheet,
    )  # fmt: skip
    ctx["round_rev_b"] = honour_round(code=b, name="涪城区评审中", status="open")
    applicant = person("矩阵人才甲", "51070319800101011", code=b, phone="13900002222")
    ctx["app_b"] = services.create_application(
        ctx["round_b"], actor=None, person=applicant, statement="科普工作"
    )
    services.submit_application(ctx["app_b"], actor=None)
    other = person("矩阵人才乙", "51070319800101012", code=b)
    ctx["app_draft_b"] = services.create_application(
        ctx["round_b"], actor=None, person=other, statement="草稿"
    )
    ctx["item_b"] = services.add_item(
        ctx["app_draft_b"],
        actor=None,
        title="科普讲座",
        attachment=SimpleUploadedFile("讲座.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    ctx["app_rev_b"] = services.create_application(
        ctx["round_rev_b"], actor=None, person=applicant, statement="评审中"
    )
    services.submit_application(ctx["app_rev_b"], actor=None)
    services.recommend_application(ctx["app_rev_b"], actor=None)
    services.close_round(ctx["round_rev_b"], actor=None)
    person("矩阵人才丙", "51070319800101013", code=b)
    ctx["talent_b"] = services.add_talent(actor=None, person=applicant, category="senior")
    ctx["need_b"] = services.record_service(
        ctx["talent_b"], actor=None, date=datetime.date(2026, 1, 5), kind="need", summary="场地"
    )


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


B_ONLY = dict(city=404, county_a=404)
READERS = dict(member=200, volunteer=200)
HIDDEN = dict(member=404, volunteer=404)
API = dict(anonymous=401)
PUBLIC_NOT_THEIRS = dict(city=403, county_a=403)
B_CHANGES = ("province", "county_b")
ROUND_POST = {
    "name": "矩阵新轮次", "region": "510703", "kind": "honour", "honour": "tianfu",
    "year": "2026", "opens_on": "2026-03-01", "closes_on": "2026-05-31", "min_hours": "0",
    "quota": "0", "pass_mark": "60",
}  # fmt: skip

ROWS = [
    Row("talent-rounds", "people:talent_round_list", expect=officers(200, **READERS)),
    Row("talent-round-new", "people:talent_round_create", expect=officers(200)),
    Row("talent-round-new-post", "people:talent_round_create", "post",
        data=lambda c: ROUND_POST, expect=officers(302, city=400, county_a=400),
        changes=B_CHANGES),
    Row("talent-round-draft-b", "people:talent_round_detail", kwargs=_id("round_draft_b"),
        expect=officers(200, **B_ONLY, **HIDDEN)),
    Row("talent-round-open-b", "people:talent_round_detail", kwargs=_id("round_b"),
        expect=officers(200, **READERS)),
    Row("talent-round-edit-b", "people:talent_round_update", kwargs=_id("round_draft_b"),
        expect=officers(200, **B_ONLY)),
    Row("talent-round-open", "people:talent_round_open", "post", kwargs=_id("round_draft_b"),
        expect=officers(302, **B_ONLY), changes=B_CHANGES),
    Row("talent-round-close", "people:talent_round_close", "post", kwargs=_id("round_b"),
        expect=officers(302, **PUBLIC_NOT_THEIRS), changes=B_CHANGES),
    Row("talent-round-publish", "people:talent_round_publish", "post",
        kwargs=_id("round_rev_b"), expect=officers(302, **PUBLIC_NOT_THEIRS),
        changes=B_CHANGES),
    Row("talent-apply", "people:talent_application_create", kwargs=_id("round_b"),
        expect=officers(200, **READERS)),
    Row("talent-apply-post", "people:talent_application_create", "post", kwargs=_id("round_b"),
        data=lambda c: {"person": valid_id("51070319800101013"), "statement": "矩阵申请"},
        expect=officers(302, city=400, county_a=400, member=400, volunteer=400),
        changes=B_CHANGES),
    Row("talent-ranking", "people:talent_round_ranking", kwargs=_id("round_b"),
        expect=officers(200, **READERS)),
    Row("talent-ranking-export", "people:talent_round_ranking_export", kwargs=_id("round_b"),
        expect=officers(200)),
    Row("talent-applications", "people:talent_application_list",
        expect=officers(200, **READERS)),
    Row("talent-applications-export", "people:talent_application_export",
        expect=officers(200)),
    Row("talent-application-b", "people:talent_application_detail", kwargs=_id("app_b"),
        expect=officers(200, **B_ONLY, **HIDDEN)),
    Row("talent-application-edit-b", "people:talent_application_update",
        kwargs=_id("app_draft_b"), expect=officers(200, **B_ONLY, member=403, volunteer=404)),
    Row("talent-item-add", "people:talent_item_add", "post", kwargs=_id("app_draft_b"),
        data=lambda c: {"title": "矩阵条目"},
        expect=officers(302, **B_ONLY, member=403, volunteer=404), changes=B_CHANGES),
    Row("talent-item-file", "people:talent_item_file",
        kwargs=lambda c: {"pk": c["app_draft_b"].pk, "item": c["item_b"].pk},
        expect=officers(200, **B_ONLY, **HIDDEN)),
    Row("talent-submit", "people:talent_application_submit", "post",
        kwargs=_id("app_draft_b"), expect=officers(302, **B_ONLY, member=403, volunteer=404),
        changes=B_CHANGES),
    Row("talent-recommend", "people:talent_application_recommend", "post",
        kwargs=_id("app_b"), expect=officers(302, **B_ONLY, member=404), changes=B_CHANGES),
    Row("talent-return", "people:talent_application_return", "post", kwargs=_id("app_b"),
        data=lambda c: {"reason": "材料不全"}, expect=officers(302, **B_ONLY, member=404),
        changes=B_CHANGES),
    Row("talent-score", "people:talent_application_score", "post", kwargs=_id("app_rev_b"),
        data=lambda c: {"c_quality": "20", "c_influence": "10"},
        expect=officers(302, **B_ONLY), changes=B_CHANGES),
    Row("talents", "people:talent_list", expect=officers(200)),
    Row("talent-new", "people:talent_create", expect=officers(200)),
    Row("talent-new-post", "people:talent_create", "post",
        data=lambda c: {"person": valid_id("51070319800101013"), "category": "senior"},
        expect=officers(302, city=400, county_a=400), changes=B_CHANGES),
    Row("talents-export", "people:talent_export", expect=officers(200)),
    Row("talent-b", "people:talent_detail", kwargs=_id("talent_b"),
        expect=officers(200, **B_ONLY)),
    Row("talent-edit-b", "people:talent_update", kwargs=_id("talent_b"),
        expect=officers(200, **B_ONLY)),
    Row("talent-service-add", "people:talent_service_add", "post", kwargs=_id("talent_b"),
        data=lambda c: {"date": "2026-02-01", "kind": "visit", "summary": "走访"},
        expect=officers(302, **B_ONLY), changes=B_CHANGES),
    Row("talent-need-resolve", "people:talent_need_resolve", "post", kwargs=_id("need_b"),
        expect=officers(302, **B_ONLY), changes=B_CHANGES),
    Row("api-talent-rounds", "api:talent-round-list", expect=officers(200, **API, **READERS)),
    Row("api-talent-round-draft-b", "api:talent-round-detail", kwargs=_id("round_draft_b"),
        expect=officers(200, **API, **B_ONLY, **HIDDEN)),
    Row("api-talent-applications", "api:talent-application-list",
        expect=officers(200, **API, **READERS)),
    Row("api-talent-application-b", "api:talent-application-detail", kwargs=_id("app_b"),
        expect=officers(200, **API, **B_ONLY, **HIDDEN)),
    Row("api-talent-recommend", "api:talent-application-recommend", "post", kwargs=_id("app_b"),
        json=True, expect=officers(200, **API, **B_ONLY, member=404), changes=B_CHANGES),
    Row("api-talents", "api:talent-list", expect=officers(200, **API)),
    Row("api-talent-b", "api:talent-detail", kwargs=_id("talent_b"),
        expect=officers(200, **API, **B_ONLY)),
    Row("api-talent-services", "api:talent-services", "post", kwargs=_id("talent_b"), json=True,
        data=lambda c: {"date": "2026-02-01", "kind": "visit", "summary": "走访"},
        expect=officers(201, **API, **B_ONLY), changes=B_CHANGES),
]  # fmt: skip
