"""Matrix rows of the recognition area.

The rounds are the province's (四川省, region 51); the applications come from units of
county A (锦江区). The province runs the procedure; Chengdu and county A read the public
rounds and act on their units' applications (recommend, withdraw); county B reaches
none of them (404); member-unit staff see the rounds, not these units (404); experts
(not a persona) score. The public notice, its objection form and the certificate check
answer everyone."""

import datetime

from kepu.bases import services
from kepu.bases.services import recognition_review as review
from kepu.bases.tests import helpers_recognition as h
from kepu.bases.tests.helpers import make_unit
from kepu.core import clock
from kepu.core.testing import Row, officers, statuses


def context(ctx):
    experts = [h.expert("周明远", username="demo-expert"), h.expert("矩阵专家甲")]
    pool = h.expert_pool("矩阵认定专家库", members=experts)
    ctx["rec_draft"] = h.make_round(status="draft", pool=pool, title="矩阵草稿轮次")
    rnd = h.make_round(pool=pool, title="矩阵开放轮次", number_prefix="MX-A-")
    ctx["rec_round"] = rnd
    ctx["rec_app"] = h.apply(rnd, "锦江区矩阵科技馆")
    make_unit("锦江区矩阵新馆", "510104")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kepu.bases.services.recognition import _save_materials

    _save_materials(
        ctx["rec_app"], [SimpleUploadedFile("申报书.pdf", b"%PDF-1.4 matrix")], ["application/pdf"]
    )
    ctx["rec_material"] = ctx["rec_app"].materials.get()

    check = h.make_round(pool=pool, title="矩阵初评轮次", number_prefix="MX-B-")
    ctx["rec_check_app"] = h.apply(check, "锦江区矩阵初评馆")
    services.recommend_application(ctx["rec_check_app"], actor=None, opinion="同意推荐")
    services.advance_round(check, actor=None)
    services.advance_round(check, actor=None)

    review_round = h.make_round(
        pool=pool, panel_size=2, title="矩阵终评轮次", number_prefix="MX-C-"
    )
    app = h.apply(review_round, "锦江区矩阵终评馆")
    services.recommend_application(app, actor=None, opinion="同意推荐")
    for _step in range(2):
        services.advance_round(review_round, actor=None)
    items = {c: True for c in ("legal_person", "years_open", "open_days", "area", "materials")}
    services.check_application(app, actor=None, items=items)
    services.advance_round(review_round, actor=None)
    review.draw_panel(review_round, actor=None, seed=11)
    ctx["rec_review"] = review_round
    ctx["rec_sheet"] = app.sheets.get(expert=experts[0])
    _save_materials(app, [SimpleUploadedFile("平面图.pdf", b"%PDF-1.4 plan")], ["application/pdf"])
    ctx["rec_sheet_file"] = app.materials.get()
    ctx["rec_paper_sheet"] = app.sheets.get(expert=experts[1])

    pub = h.make_round(pool=pool, panel_size=2, title="矩阵公示轮次", number_prefix="MX-D-")
    cand = h.apply(pub, "锦江区矩阵公示馆")
    services.recommend_application(cand, actor=None, opinion="同意推荐")
    for _step in range(2):
        services.advance_round(pub, actor=None)
    services.check_application(cand, actor=None, items=items)
    services.advance_round(pub, actor=None)
    review.draw_panel(pub, actor=None, seed=5)
    values = {"conditions": 25, "organization": 15, "activities": 25, "results": 15}
    for sheet in cand.sheets.all():
        review.submit_score(sheet, actor=None, values=values)
    review.start_publicity(pub, actor=None, cutoff=60)
    ctx["rec_pub"] = pub
    ctx["rec_candidate"] = cand
    ctx["rec_objection"], _new = review.file_objection(
        cand, name="王某某", phone="13912345678", text="该馆开放天数不实，请核实。"
    )
    named = h.make_round(pool=pool, panel_size=2, title="矩阵命名轮次", number_prefix="MX-E-")
    winner = h.apply(named, "锦江区矩阵命名馆")
    services.recommend_application(winner, actor=None, opinion="同意推荐")
    for _step in range(2):
        services.advance_round(named, actor=None)
    services.check_application(winner, actor=None, items=items)
    services.advance_round(named, actor=None)
    review.draw_panel(named, actor=None, seed=5)
    for sheet in winner.sheets.all():
        review.submit_score(sheet, actor=None, values=values)
    review.start_publicity(named, actor=None, cutoff=60)
    with clock.frozen(clock.now() + datetime.timedelta(days=30)):
        ctx["rec_base"] = review.name_bases(named, actor=None)[0]


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _today():
    return clock.today()


def _round_data(ctx):
    today = _today()
    return {
        "title": "矩阵新轮次", "year": today.year, "batch": "矩阵批次", "number_prefix": "MX-N-",
        "rubric": ctx["rec_round"].rubric_id, "pool": ctx["rec_round"].pool_id,
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=9)).isoformat(),
        "recommend_by": (today + datetime.timedelta(days=19)).isoformat(), "panel_size": 2,
        "publicity_days": 5, "min_years_open": 1, "min_open_days": 200,
    }  # fmt: skip


def _app_data(ctx):
    return {
        "organization": "锦江区矩阵新馆", "category": "venue", "legal_person": "on",
        "years_open": 2, "open_days": 260, "area_m2": 800, "staff": 5, "docents": 2,
        "visitors": 8000, "statement": "矩阵申报",
    }  # fmt: skip


SCORES = {"conditions": 20, "organization": 15, "activities": 20, "results": 15}
CHECK = {
    f"item_{c}": "pass" for c in ("legal_person", "years_open", "open_days", "area", "materials")
}
NO = {"member": 403}
COUNTIES_READ = {"city": 403, "county_a": 403, "county_b": 403}
ONLY_PROVINCE = officers(200, **COUNTIES_READ)
A_UNIT = {"county_b": 404, "member": 404}  # an application of a county A unit
PROVINCE_SHEET = {"city": 404, "county_a": 404, "county_b": 404}
EVERYONE = statuses(200)

ROWS = [
    Row("rec-rounds", "bases:round_list", expect=officers(200, member=200)),
    Row("rec-round-new", "bases:round_create", expect=officers(200)),
    Row("rec-round-new-post", "bases:round_create", "post", data=_round_data,
        expect=officers(302), changes=("province", "city", "county_a", "county_b")),
    Row("rec-round", "bases:round_detail", kwargs=_pk("rec_round"),
        expect=officers(200, member=200)),
    Row("rec-round-draft", "bases:round_detail", kwargs=_pk("rec_draft"),
        expect=officers(200, city=404, county_a=404, county_b=404, member=404)),
    Row("rec-round-edit", "bases:round_update", kwargs=_pk("rec_round"), expect=ONLY_PROVINCE),
    Row("rec-round-advance", "bases:round_advance", "post", kwargs=_pk("rec_draft"),
        expect=officers(302, city=404, county_a=404, county_b=404),
        changes=("province",)),
    Row("rec-apply", "bases:application_create", kwargs=_pk("rec_round"),
        expect=officers(200, member=200)),
    Row("rec-apply-post", "bases:application_create", "post", kwargs=_pk("rec_round"),
        data=_app_data, expect=officers(302, county_b=400, member=400),
        changes=("province", "city", "county_a")),
    Row("rec-apps", "bases:application_list", expect=officers(200, member=200)),
    Row("rec-apps-export", "bases:application_export", expect=officers(200)),
    Row("rec-app", "bases:application_detail", kwargs=_pk("rec_app"),
        expect=officers(200, **A_UNIT)),
    Row("rec-app-withdraw", "bases:application_withdraw", "post", kwargs=_pk("rec_app"),
        expect=officers(302, **A_UNIT), changes=("province", "city", "county_a")),
    Row("rec-material", "bases:material_download",
        kwargs=lambda ctx: {"pk": ctx["rec_app"].pk, "file_pk": ctx["rec_material"].pk},
        expect=officers(200, **A_UNIT)),
    Row("rec-recommend-queue", "bases:recommend_queue", expect=officers(200, member=200)),
    Row("rec-recommend", "bases:application_recommend", kwargs=_pk("rec_app"),
        expect=officers(200, **A_UNIT)),
    Row("rec-recommend-post", "bases:application_recommend", "post", kwargs=_pk("rec_app"),
        data=lambda ctx: {"recommended": "yes", "opinion": "同意推荐", "rank": 1},
        expect=officers(302, province=400, **A_UNIT), changes=("city", "county_a")),
    Row("rec-check-queue", "bases:check_queue", expect=officers(200)),
    Row("rec-check", "bases:application_check", kwargs=_pk("rec_check_app"),
        expect=officers(200, city=403, county_a=403, county_b=404)),
    Row("rec-check-post", "bases:application_check", "post", kwargs=_pk("rec_check_app"),
        data=lambda ctx: CHECK, expect=officers(302, city=403, county_a=403, county_b=404),
        changes=("province",)),
    Row("rec-panel", "bases:round_panel", kwargs=_pk("rec_review"), expect=ONLY_PROVINCE),
    Row("rec-panel-draw", "bases:round_panel", "post", kwargs=_pk("rec_review"),
        expect=officers(302, **COUNTIES_READ), changes=("province",)),
    Row("rec-sheets", "bases:sheet_queue", expect=officers(200)),
    Row("rec-sheet", "bases:sheet_score", kwargs=_pk("rec_sheet"),
        expect=officers(200, **PROVINCE_SHEET)),
    Row("rec-sheet-online-post", "bases:sheet_score", "post", kwargs=_pk("rec_sheet"),
        data=lambda ctx: SCORES, expect=officers(403, **PROVINCE_SHEET)),
    Row("rec-sheet-paper-post", "bases:sheet_score", "post", kwargs=_pk("rec_paper_sheet"),
        data=lambda ctx: SCORES, expect=officers(302, **PROVINCE_SHEET), changes=("province",)),
    Row("rec-sheet-material", "bases:sheet_material",
        kwargs=lambda ctx: {"pk": ctx["rec_sheet"].pk, "file_pk": ctx["rec_sheet_file"].pk},
        expect=officers(200, **PROVINCE_SHEET)),
    Row("rec-sheet-conflict", "bases:sheet_conflict", "post", kwargs=_pk("rec_sheet"),
        data=lambda ctx: {"reason": "亲属关系"}, expect=officers(403)),
    Row("rec-ranking", "bases:round_ranking", kwargs=_pk("rec_review"),
        expect=officers(200, member=403, **COUNTIES_READ)),
    Row("rec-ranking-post", "bases:round_ranking", "post", kwargs=_pk("rec_review"),
        data=lambda ctx: {"cutoff": "60"}, expect=officers(400, member=403, **COUNTIES_READ)),
    Row("rec-objections", "bases:objection_queue", expect=officers(200)),
    Row("rec-objection", "bases:objection_answer", kwargs=_pk("rec_objection"),
        expect=officers(200, **PROVINCE_SHEET)),
    Row("rec-objection-post", "bases:objection_answer", "post", kwargs=_pk("rec_objection"),
        data=lambda ctx: {"decision": "dismissed", "answer": "经核实，不属实。"},
        expect=officers(302, **PROVINCE_SHEET), changes=("province",)),
    Row("rec-naming", "bases:round_naming", kwargs=_pk("rec_pub"),
        expect=officers(200, member=403, **COUNTIES_READ)),
    Row("rec-naming-post", "bases:round_naming", "post", kwargs=_pk("rec_pub"),
        data=lambda ctx: {"decided_on": _today().isoformat()},
        expect=officers(400, member=403, **COUNTIES_READ)),
    Row("rec-certificate", "bases:certificate_pdf", kwargs=_pk("rec_base"),
        expect=officers(200, county_b=404, member=404)),
    Row("rec-public-notice", "bases:public_publicity", kwargs=_pk("rec_pub"), expect=EVERYONE),
    Row("rec-public-objection", "bases:public_objection", kwargs=_pk("rec_pub"),
        expect=EVERYONE),
    Row("rec-public-objection-post", "bases:public_objection", "post", kwargs=_pk("rec_pub"),
        data=lambda ctx: {"application": ctx["rec_candidate"].pk, "name": "赵某某",
                          "phone": "13800001111", "text": "该馆展品长期损坏未修复。"},
        expect=statuses(302), changes=tuple(statuses(0))),
    Row("rec-verify", "bases:verify_number",
        kwargs=lambda ctx: {"number": ctx["rec_base"].number}, expect=EVERYONE),
    Row("rec-verify-unknown", "bases:verify_number",
        kwargs=lambda ctx: {"number": "MX-NONE-001"}, expect=statuses(404)),
]  # fmt: skip
