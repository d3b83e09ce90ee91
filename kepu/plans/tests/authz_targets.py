"""Matrix rows of the plan overview, its bulletins, the target pages and the public
progress pages, over the objects of `authz.context`.

The province plan (`plan_p`) is the province's and the member unit's (its task's lead
unit); county B's plans are the province's and county B's. A target belongs to its own
region: `target_p` (Sichuan) is the province's, its Chengdu part is the city of
Chengdu's too. The province plan applies to the city (its Chengdu part) and to county A
(`target_p_a`, for 锦江区): they read the plan, its bulletin and every one of its targets,
and may not act on them (403) beyond their own parts; county B is 404 (the Mianyang part
does not make the plan apply to 涪城区). Changing
targets needs `plans.target.change`, which member staff lack (403 before any lookup).
The public pages show published plans to everyone, drafts to no one."""

import datetime

from kepu.core.testing import Row, officers, statuses


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _chengdu_part(ctx):
    return {"pk": ctx["target_p"].parts.get(region__code="5101").pk}


# Province plan and targets: the province, the member unit, and the city and county A to
# which the plan applies.
P_VIEW = officers(200, county_b=404, member=200)
# County B's plans and targets: the province and county B.
B_VIEW = officers(200, city=404, county_a=404, member=404)
# Changing targets: officers of the row's region only; member staff hold no such right.
P_CHANGE = officers(200, city=403, county_a=403, county_b=404)
B_CHANGE = officers(200, city=404, county_a=404)


def _new_target_b(ctx):
    year = datetime.date.today().year
    return {
        "source": "measured",
        "indicator": "people.volunteers_added",
        "name": "",
        "unit": "",
        "region": "510703",
        "baseline_date": f"{year}-01-01",
        "baseline_value": "0",
        "target_value": "120",
        "deadline": f"{year}-12-31",
        "additive": "on",
    }


def _changed_target_b(ctx):
    target = ctx["target_b"]
    return {
        "source": "reported",
        "indicator": "",
        "name": "科技辅导员培训（人次）",
        "unit": "人次",
        "region": "510703",
        "task": str(target.task_id),
        "baseline_date": target.baseline_date.isoformat(),
        "baseline_value": "0",
        "target_value": "260",
        "deadline": target.deadline.isoformat(),
        "additive": "on",
    }


def _parts(mianyang, chengdu):
    return lambda ctx: {"r5107": str(mianyang), "r5101": str(chengdu)}


TARGET_ROWS = [
    Row("plan-tg-dashboard-p", "plans:plan_detail", kwargs=_id("plan_p"), expect=P_VIEW),
    Row("plan-tg-dashboard-b", "plans:plan_detail", kwargs=_id("plan_b"), expect=B_VIEW),
    Row("plan-tg-dashboard-draft", "plans:plan_detail", kwargs=_id("plan_draft_b"),
        expect=B_VIEW),
    Row("plan-tg-xlsx-p", "plans:bulletin_xlsx", kwargs=_id("plan_p"), expect=P_VIEW),
    Row("plan-tg-xlsx-b", "plans:bulletin_xlsx", kwargs=_id("plan_b"), expect=B_VIEW),
    Row("plan-tg-pdf-p", "plans:bulletin_pdf", kwargs=_id("plan_p"), expect=P_VIEW),
    Row("plan-tg-pdf-b", "plans:bulletin_pdf", kwargs=_id("plan_b"), expect=B_VIEW),
    Row("plan-tg-list", "plans:target_list", expect=officers(200, member=200)),
    Row("plan-tg-export", "plans:target_export", expect=officers(200, member=200)),
    Row("plan-tg-detail-p", "plans:target_detail", kwargs=_id("target_p"), expect=P_VIEW),
    Row("plan-tg-detail-part", "plans:target_detail", kwargs=_id("target_p_part"),
        expect=P_VIEW),
    Row("plan-tg-detail-chengdu", "plans:target_detail", kwargs=_chengdu_part,
        expect=officers(200, county_b=404, member=200)),
    Row("plan-tg-detail-b", "plans:target_detail", kwargs=_id("target_b"), expect=B_VIEW),
    Row("plan-tg-new", "plans:target_create", kwargs=_id("plan_p"), expect=P_CHANGE),
    Row("plan-tg-new-post", "plans:target_create", "post", kwargs=_id("plan_b"),
        data=_new_target_b, expect=officers(302, city=404, county_a=404),
        changes=("province", "county_b")),
    Row("plan-tg-edit", "plans:target_update", kwargs=_id("target_b"), expect=B_CHANGE),
    Row("plan-tg-edit-post", "plans:target_update", "post", kwargs=_id("target_b"),
        data=_changed_target_b, expect=officers(302, city=404, county_a=404),
        changes=("province", "county_b")),
    # A part is changed by decomposing its target again: its edit page sends back.
    Row("plan-tg-edit-part", "plans:target_update", kwargs=_chengdu_part,
        expect=officers(302, county_a=403, county_b=404)),
    Row("plan-tg-split", "plans:target_decompose", kwargs=_id("target_p"), expect=P_CHANGE),
    Row("plan-tg-split-post", "plans:target_decompose", "post", kwargs=_id("target_p"),
        data=_parts(150, 150), expect=officers(302, city=403, county_a=403, county_b=404),
        changes=("province",)),
    # Parts that do not add up: the form again (400), with the message, and nothing saved.
    Row("plan-tg-split-wrong", "plans:target_decompose", "post", kwargs=_id("target_p"),
        data=_parts(100, 100), expect=officers(400, city=403, county_a=403, county_b=404)),
    Row("plan-tg-public-list", "plans:public_plan_list", expect=statuses(200)),
    Row("plan-tg-public-p", "plans:public_plan_detail", kwargs=_id("plan_p"),
        expect=statuses(200)),
    Row("plan-tg-public-draft", "plans:public_plan_detail", kwargs=_id("plan_draft_b"),
        expect=statuses(404)),
]  # fmt: skip
