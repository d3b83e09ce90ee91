"""Authorization-matrix rows of the bank area.

The province's bank (四川省, 51) has an approved item; 锦江区 (county A) has drafts and an
item in review. Officers write and change the items of their region's bank and read the
banks above theirs (county B does not reach 锦江区's: 404). The volunteer persona is the
expert (experts may hold the volunteer role, as in the catalog) assigned `bank_rv_vol`;
`bank_rv_other` is another expert's review: anyone else gets 404 for it, and without the
right to file reviews the pages answer 403."""

from kepu.core.testing import Row, officers, statuses
from kepu.literacy.tests import helpers_bank as h

COUNTY_A = "510104"


def context(ctx):
    vol = h.expert("demo-volunteer", "志愿者专家")
    other = h.expert("bank-matrix-expert", "题库矩阵专家")
    ctx["bank_expert"] = vol
    ctx["bank_approved"] = h.approved(
        membership=other, **h.tf_fields("矩阵：月球本身会发光。", "F")
    )
    from kepu.literacy.services import bank as services

    region = h.region(COUNTY_A)
    ctx["bank_draft"] = services.create_item(region, actor=None, **h.single_fields())
    ctx["bank_draft_b"] = services.create_item(
        region, actor=None, **h.tf_fields("矩阵：声音可以在真空中传播。", "F")
    )
    in_review = services.create_item(region, actor=None, **h.tf_fields("矩阵：光速比声速快。"))
    reviews = services.send_to_review(in_review, actor=None, reviewers=[vol, other])
    ctx["bank_rv_vol"] = next(r for r in reviews if r.reviewer_id == vol.person_id)
    ctx["bank_rv_other"] = next(r for r in reviews if r.reviewer_id != vol.person_id)


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _item_data(ctx):
    dim = h.dimension()
    return {
        "instrument": dim.instrument.code, "dimension": dim.pk, "kind": "single",
        "stem": "矩阵：人体最大的器官是什么？", "options": "A. 心脏\nB. 皮肤\nC. 肝脏",
        "key": "B", "difficulty": "medium", "sub_dimension": "", "code": "",
    }  # fmt: skip


def _api_item(ctx):
    dim = h.dimension()
    return {
        "instrument": dim.instrument.code, "dimension": dim.pk, "kind": "tf",
        "stem": "矩阵接口：太阳是一颗恒星。", "key": ["T"], "difficulty": "easy",
    }  # fmt: skip


def _review_data(ctx):
    return {
        "facts_correct": "yes", "sources_reliable": "yes", "fits_audience": "yes",
        "verdict": "revise", "comments": "矩阵专家意见：题干表述需更严谨。",
    }  # fmt: skip


A_SIDE = ("province", "city", "county_a")
A_ONLY = officers(200, county_b=404)
WRITERS = officers(302, county_b=404)
API = officers(200, anonymous=401)

ROWS = [
    Row("bank-list", "literacy:item_list", expect=officers(200)),
    Row("bank-instruments", "literacy:instrument_list", expect=officers(200)),
    Row("bank-new", "literacy:item_create", expect=officers(200)),
    Row("bank-new-post", "literacy:item_create", "post", data=_item_data,
        expect=officers(302), changes=("province", "city", "county_a", "county_b")),
    Row("bank-detail-province", "literacy:item_detail", kwargs=_pk("bank_approved"),
        expect=officers(200)),
    Row("bank-detail-county", "literacy:item_detail", kwargs=_pk("bank_draft"), expect=A_ONLY),
    Row("bank-edit-county", "literacy:item_edit", kwargs=_pk("bank_draft"), expect=A_ONLY),
    Row("bank-edit-province", "literacy:item_edit", kwargs=_pk("bank_approved"),
        expect=officers(403, province=200)),
    Row("bank-edit-post", "literacy:item_edit", "post", kwargs=_pk("bank_draft"),
        data=_item_data, expect=WRITERS, changes=A_SIDE),
    Row("bank-send", "literacy:item_send", "post", kwargs=_pk("bank_draft"),
        data=lambda ctx: {"reviewers": [ctx["bank_expert"].person_id]}, expect=WRITERS,
        changes=A_SIDE),
    Row("bank-retire", "literacy:item_retire", "post", kwargs=_pk("bank_draft_b"),
        data=lambda ctx: {"reason": "矩阵：题目重复"}, expect=WRITERS, changes=A_SIDE),
    Row("bank-rv-queue", "literacy:itemreview_queue",
        expect=statuses(403, anonymous=302, volunteer=200)),
    Row("bank-rv-own", "literacy:itemreview_file", kwargs=_pk("bank_rv_vol"),
        expect=statuses(403, anonymous=302, volunteer=200)),
    Row("bank-rv-other", "literacy:itemreview_file", kwargs=_pk("bank_rv_other"),
        expect=statuses(403, anonymous=302, volunteer=404)),
    Row("bank-rv-file", "literacy:itemreview_file", "post", kwargs=_pk("bank_rv_vol"),
        data=_review_data, expect=statuses(403, anonymous=302, volunteer=302),
        changes=("volunteer",)),
    Row("bank-api-list", "api:literacy-item-list", expect=API),
    Row("bank-api-detail", "api:literacy-item-detail", kwargs=_pk("bank_draft"),
        expect=officers(200, anonymous=401, county_b=404)),
    Row("bank-api-create", "api:literacy-item-list", "post", data=_api_item, json=True,
        expect=officers(201, anonymous=401),
        changes=("province", "city", "county_a", "county_b")),
    Row("bank-api-patch", "api:literacy-item-detail", "patch", kwargs=_pk("bank_draft"),
        data=lambda ctx: {"stem": "矩阵接口：改过的题干？"}, json=True,
        expect=officers(200, anonymous=401, county_b=404), changes=A_SIDE),
]  # fmt: skip
