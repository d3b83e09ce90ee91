"""API rows of the authorization matrix for plans (imported by `authz.py`).

They use the objects of `authz.context(ctx)`: the province plan "plan_p" (its task
"task_p" led by 四川省教育厅, the member persona's unit) and county B's "plan_b"
("task_b"), the draft "plan_draft_b", the targets "target_p" (decomposed; its part
"target_p_part" is for 绵阳市 5107) and "target_b", the reports "report_p_sub" /
"report_b_sub" (submitted) and "report_p_owed" / "report_b_owed" (pending), the notes
"note_p" (addressed to 四川省教育厅) and "note_b".

The province plan applies to the city of Chengdu (a part of its target) and to county A
(a target for 锦江区): they read the plan, its task and targets (200) and acting on them is
403; its reports and notes stay out of their reach (404), as does everything of county
B. The member unit reaches the
province plan, its task, targets, its own reports and the notes on its task, and submits
and answers but does not review (403). Steps the state does not allow are 409 and change
nothing; anonymous callers get 401 except on the public endpoints.
"""

import datetime

from django.utils import timezone

from kepu.core.testing import Row, officers, statuses
from kepu.plans.tests.helpers import org

API = dict(anonymous=401)
OUTSIDE = dict(city=404, county_a=404)
# County B's rows: the member unit is not named on county B's tasks (404 where it holds the
# permission, 403 for the steps it does not hold, which are refused before the lookup).
B_ONLY = dict(**OUTSIDE, member=404)
# The province's reports and notes: county B is outside too; the member unit sees them.
P_ONLY = dict(**OUTSIDE, county_b=404)
# The province plan, its task and targets: read by those it applies to, county B outside.
P_READ = dict(county_b=404)
P_ACT = dict(city=403, county_a=403, county_b=404)
B_CHANGES = ("province", "county_b")


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _year():
    return timezone.localdate().year


def _new_plan(ctx):
    return {
        "title": "接口矩阵涪城区科普规划",
        "issuer": "涪城区科学技术协会",
        "region": "510703",
        "period_start": f"{_year()}-01-01",
        "period_end": f"{_year()}-12-31",
    }


def _new_task(ctx):
    return {
        "plan": ctx["plan_b"].pk,
        "number": "2",
        "title": "开展社区科普讲座",
        "lead_unit": org("涪城区科学技术协会").pk,
        "responsible_units": [org("绵阳南山中学").pk],
        "deadline": f"{_year()}-11-30",
    }


def _new_target(ctx):
    return {
        "plan": ctx["plan_b"].pk,
        "name": "社区科普讲座",
        "unit": "场",
        "region": "510703",
        "source": "reported",
        "baseline_date": f"{_year() - 1}-12-31",
        "target_value": "50",
        "deadline": f"{_year()}-12-31",
    }


def _parts_b(ctx):
    return {
        "parts": [
            {"organization": org("绵阳南山中学").pk, "target_value": "120"},
            {"organization": org("涪城区科学技术协会").pk, "target_value": "80"},
        ]
    }


def _parts_wrong_sum(ctx):
    return {
        "parts": [
            {"region": "5107", "target_value": "100"},
            {"region": "5101", "target_value": "100"},
        ]
    }


def _rectify_by():
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


API_ROWS = [
    # --- plans
    Row("plan-api-plans", "api:plan-list", expect=officers(200, member=200, **API)),
    Row("plan-api-plans-post", "api:plan-list", "post", json=True, data=_new_plan,
        expect=officers(201, city=400, county_a=400, **API), changes=B_CHANGES),
    Row("plan-api-plan-p", "api:plan-detail", kwargs=_id("plan_p"),
        expect=officers(200, member=200, **P_READ, **API)),
    Row("plan-api-plan-b", "api:plan-detail", kwargs=_id("plan_b"),
        expect=officers(200, **B_ONLY, **API)),
    Row("plan-api-plan-b-patch", "api:plan-detail", "patch", kwargs=_id("plan_b"), json=True,
        data=lambda c: {"summary": "接口矩阵修改"}, expect=officers(200, **OUTSIDE, **API),
        changes=B_CHANGES),
    Row("plan-api-plan-p-patch", "api:plan-detail", "patch", kwargs=_id("plan_p"), json=True,
        data=lambda c: {"summary": "接口矩阵修改"}, expect=officers(200, **P_ACT, **API),
        changes=("province",)),
    Row("plan-api-plan-publish", "api:plan-publish", "post", kwargs=_id("plan_draft_b"),
        json=True, expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    Row("plan-api-plan-publish-again", "api:plan-publish", "post", kwargs=_id("plan_b"),
        json=True, expect=officers(409, **OUTSIDE, **API)),
    Row("plan-api-plan-close", "api:plan-close", "post", kwargs=_id("plan_b"), json=True,
        expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    Row("plan-api-plan-close-draft", "api:plan-close", "post", kwargs=_id("plan_draft_b"),
        json=True, expect=officers(409, **OUTSIDE, **API)),
    Row("plan-api-plan-sections", "api:plan-sections", "post", kwargs=_id("plan_b"), json=True,
        data=lambda c: {"number": "二", "title": "保障措施"},
        expect=officers(201, **OUTSIDE, **API), changes=B_CHANGES),
    # --- tasks
    Row("plan-api-tasks", "api:plan-task-list", expect=officers(200, member=200, **API)),
    Row("plan-api-task-p", "api:plan-task-detail", kwargs=_id("task_p"),
        expect=officers(200, member=200, **P_READ, **API)),
    Row("plan-api-task-b", "api:plan-task-detail", kwargs=_id("task_b"),
        expect=officers(200, **B_ONLY, **API)),
    Row("plan-api-tasks-post", "api:plan-task-list", "post", json=True, data=_new_task,
        expect=officers(201, city=400, county_a=400, **API), changes=B_CHANGES),
    Row("plan-api-task-b-patch", "api:plan-task-detail", "patch", kwargs=_id("task_b"),
        json=True, data=lambda c: {"description": "接口矩阵修改"},
        expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    Row("plan-api-task-p-patch", "api:plan-task-detail", "patch", kwargs=_id("task_p"),
        json=True, data=lambda c: {"description": "接口矩阵修改"},
        expect=officers(200, **P_ACT, **API), changes=("province",)),
    Row("plan-api-task-status", "api:plan-task-status", "post", kwargs=_id("task_b"), json=True,
        data=lambda c: {"status": "in_progress"}, expect=officers(200, **OUTSIDE, **API),
        changes=B_CHANGES),
    # --- targets
    Row("plan-api-targets", "api:plan-target-list", expect=officers(200, member=200, **API)),
    Row("plan-api-target-p", "api:plan-target-detail", kwargs=_id("target_p"),
        expect=officers(200, member=200, **P_READ, **API)),
    Row("plan-api-target-p-part", "api:plan-target-detail", kwargs=_id("target_p_part"),
        expect=officers(200, member=200, **P_READ, **API)),
    Row("plan-api-target-b", "api:plan-target-detail", kwargs=_id("target_b"),
        expect=officers(200, **B_ONLY, **API)),
    Row("plan-api-target-trajectory", "api:plan-target-trajectory", kwargs=_id("target_p"),
        expect=officers(200, member=200, **P_READ, **API)),
    Row("plan-api-targets-post", "api:plan-target-list", "post", json=True, data=_new_target,
        expect=officers(201, city=400, county_a=400, **API), changes=B_CHANGES),
    Row("plan-api-target-b-patch", "api:plan-target-detail", "patch", kwargs=_id("target_b"),
        json=True, data=lambda c: {"target_value": "250"},
        expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    Row("plan-api-target-p-patch", "api:plan-target-detail", "patch", kwargs=_id("target_p"),
        json=True, data=lambda c: {"name": "专职科普人员"},
        expect=officers(200, **P_ACT, **API), changes=("province",)),
    Row("plan-api-target-decompose", "api:plan-target-decompose", "post",
        kwargs=_id("target_b"), json=True, data=_parts_b,
        expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    Row("plan-api-target-decompose-sum", "api:plan-target-decompose", "post",
        kwargs=_id("target_p"), json=True, data=_parts_wrong_sum,
        expect=officers(400, **P_ACT, **API)),
    # --- progress reports
    Row("plan-api-reports", "api:plan-report-list", expect=officers(200, member=200, **API)),
    Row("plan-api-report-p", "api:plan-report-detail", kwargs=_id("report_p_sub"),
        expect=officers(200, member=200, **P_ONLY, **API)),
    Row("plan-api-report-b", "api:plan-report-detail", kwargs=_id("report_b_sub"),
        expect=officers(200, **B_ONLY, **API)),
    # Multipart, as a unit's client sends it with files.
    Row("plan-api-report-submit", "api:plan-report-submit", "post",
        kwargs=_id("report_p_owed"), data=lambda c: {"text": "本期已完成培训", "progress": "50"},
        expect=officers(403, member=200, **API), changes=("member",)),
    Row("plan-api-report-submit-b", "api:plan-report-submit", "post",
        kwargs=_id("report_b_owed"), data=lambda c: {"text": "越权报送"},
        expect=officers(403, member=404, **API)),
    Row("plan-api-report-submit-again", "api:plan-report-submit", "post",
        kwargs=_id("report_p_sub"), data=lambda c: {"text": "再次报送"},
        expect=officers(403, member=409, **API)),
    Row("plan-api-report-accept", "api:plan-report-accept", "post", kwargs=_id("report_b_sub"),
        json=True, data=lambda c: {"note": "同意"}, expect=officers(200, **OUTSIDE, **API),
        changes=B_CHANGES),
    Row("plan-api-report-accept-p", "api:plan-report-accept", "post",
        kwargs=_id("report_p_sub"), json=True,
        expect=officers(200, member=403, **P_ONLY, **API), changes=("province",)),
    Row("plan-api-report-accept-owed", "api:plan-report-accept", "post",
        kwargs=_id("report_b_owed"), json=True, expect=officers(409, **OUTSIDE, **API)),
    Row("plan-api-report-return", "api:plan-report-return", "post", kwargs=_id("report_b_sub"),
        json=True, data=lambda c: {"reason": "请补充佐证材料"},
        expect=officers(200, **OUTSIDE, **API), changes=B_CHANGES),
    # --- supervision notes
    Row("plan-api-notes", "api:plan-note-list", expect=officers(200, member=200, **API)),
    Row("plan-api-note-p", "api:plan-note-detail", kwargs=_id("note_p"),
        expect=officers(200, member=200, **P_ONLY, **API)),
    Row("plan-api-note-b", "api:plan-note-detail", kwargs=_id("note_b"),
        expect=officers(200, **B_ONLY, **API)),
    Row("plan-api-notes-post", "api:plan-note-list", "post", json=True,
        data=lambda c: {"task": c["task_b"].pk, "text": "请按期报送进展",
                        "rectify_by": _rectify_by()},
        expect=officers(201, city=400, county_a=400, **API), changes=B_CHANGES),
    Row("plan-api-note-respond", "api:plan-note-respond", "post", kwargs=_id("note_p"),
        json=True, data=lambda c: {"response": "已按要求整改"},
        expect=officers(403, member=200, **API), changes=("member",)),
    Row("plan-api-note-respond-b", "api:plan-note-respond", "post", kwargs=_id("note_b"),
        json=True, data=lambda c: {"response": "越权答复"},
        expect=officers(403, member=404, **API)),
    # --- the public portal
    Row("plan-api-public-plans", "api:public-plan-list", expect=statuses(200)),
    Row("plan-api-public-plan", "api:public-plan-detail", kwargs=_id("plan_p"),
        expect=statuses(200)),
    Row("plan-api-public-draft", "api:public-plan-detail", kwargs=_id("plan_draft_b"),
        expect=statuses(404)),
]  # fmt: skip
