"""Matrix rows of the plan back-office pages (plans, tasks, notes, progress reports), over
the objects of `authz.context`: `plan_p` of the province (its task led by 四川省教育厅, the
member persona's unit), `plan_b` and `plan_draft_b` of county B.

Officers reach a plan of their own region's subtree (others get 404); the member unit
reaches the province plan, its own reports and the notes on its task; actions without
the permission are 403 before any lookup. The province plan applies to the city of
Chengdu (a part of its target) and to county A (a target for 锦江区): they read it, its
tasks and targets, and acting on it is 403 to them; county B is 404 (Mianyang's share
does not reach 涪城区). Its progress reports stay the province's and the member's."""

import datetime

from kepu.core.testing import Row, officers, statuses


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


# The province plan's reports: the province only among officers. County B's plans: the
# province and county B.
P_ONLY = {"city": 404, "county_a": 404, "county_b": 404}
# Acting on the province plan: the city and county A read it (it applies to them), so 403.
P_ACT = {"city": 403, "county_a": 403, "county_b": 404}
B_ONLY = {"city": 404, "county_a": 404}
# What only member staff may do (submit reports, answer notes).
MEMBER = {"anonymous": 302}


def _plan_data(ctx):
    year = datetime.date.today().year
    return {
        "title": "矩阵新规划",
        "issuer": "涪城区科学技术协会",
        "region": "510703",
        "period_start": f"{year}-01-01",
        "period_end": f"{year + 2}-12-31",
        "report_cycle": "quarterly",
        "report_days": "5",
        "remind_days": "3",
    }


def _task_b_data(ctx):
    task = ctx["task_b"]
    return {
        "number": "1",
        "title": "矩阵改名的任务",
        "weight": "2",
        "lead_unit": task.lead_unit().name,
        "responsible_units": "\n".join(o.name for o in task.responsible_units()),
    }


def _review(key, step):
    return lambda ctx: {"pk": ctx[key].pk, "step": step}


PAGE_ROWS = [
    # plans
    Row("plan-pg-list", "plans:plan_list", expect=officers(200, member=200)),
    Row("plan-pg-new", "plans:plan_create", expect=officers(200)),
    Row(
        "plan-pg-new-post",
        "plans:plan_create",
        "post",
        data=_plan_data,
        # The city and county A may not place a plan in county B: the form again (400).
        expect=officers(302, city=400, county_a=400),
        changes=("province", "county_b"),
    ),
    Row("plan-pg-edit-p", "plans:plan_update", kwargs=_id("plan_p"), expect=officers(200, **P_ACT)),
    Row(
        "plan-pg-edit-b-post",
        "plans:plan_update",
        "post",
        kwargs=_id("plan_draft_b"),
        data=lambda c: {**_plan_data(c), "title": "矩阵改名规划"},
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    Row(
        "plan-pg-publish-b",
        "plans:plan_publish",
        "post",
        kwargs=_id("plan_draft_b"),
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    # Publishing a published plan is refused (a message) and changes nothing.
    Row(
        "plan-pg-publish-p-again",
        "plans:plan_publish",
        "post",
        kwargs=_id("plan_p"),
        expect=officers(302, **P_ACT),
    ),
    Row(
        "plan-pg-close-p",
        "plans:plan_close",
        "post",
        kwargs=_id("plan_p"),
        expect=officers(302, **P_ACT),
        changes=("province",),
    ),
    Row(
        "plan-pg-section-new-p",
        "plans:section_create",
        kwargs=_id("plan_p"),
        expect=officers(200, **P_ACT),
    ),
    Row(
        "plan-pg-section-new-b-post",
        "plans:section_create",
        "post",
        kwargs=_id("plan_b"),
        data=lambda c: {"number": "二", "title": "保障措施"},
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    # tasks
    Row(
        "plan-pg-task-new-b",
        "plans:task_create",
        kwargs=_id("plan_b"),
        expect=officers(200, **B_ONLY),
    ),
    Row(
        "plan-pg-task-new-b-post",
        "plans:task_create",
        "post",
        kwargs=_id("plan_b"),
        data=lambda c: {
            "number": "2",
            "title": "矩阵新任务",
            "weight": "1",
            "lead_unit": "涪城区科学技术协会",
            "responsible_units": "绵阳南山中学\n西南科技大学",
        },
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    Row(
        "plan-pg-task-p",
        "plans:task_detail",
        kwargs=_id("task_p"),
        expect=officers(200, county_b=404, member=200),
    ),
    Row(
        "plan-pg-task-b",
        "plans:task_detail",
        kwargs=_id("task_b"),
        expect=officers(200, **B_ONLY, member=404),
    ),
    Row(
        "plan-pg-task-edit-p",
        "plans:task_update",
        kwargs=_id("task_p"),
        expect=officers(200, **P_ACT),
    ),
    Row(
        "plan-pg-task-edit-b-post",
        "plans:task_update",
        "post",
        kwargs=_id("task_b"),
        data=_task_b_data,
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    Row(
        "plan-pg-task-status-p",
        "plans:task_status",
        "post",
        kwargs=_id("task_p"),
        data=lambda c: {"status": "in_progress"},
        expect=officers(302, **P_ACT),
        changes=("province",),
    ),
    Row(
        "plan-pg-task-status-b",
        "plans:task_status",
        "post",
        kwargs=_id("task_b"),
        data=lambda c: {"status": "done"},
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    # supervision notes: officers write them, the units answer them
    Row(
        "plan-pg-note-new-p",
        "plans:note_create",
        "post",
        kwargs=_id("task_p"),
        data=lambda c: {"text": "请于月底前报送佐证材料"},
        expect=officers(302, **P_ACT),
        changes=("province",),
    ),
    Row(
        "plan-pg-note-respond-p",
        "plans:note_respond",
        kwargs=_id("note_p"),
        expect=statuses(403, **MEMBER, member=200),
    ),
    Row(
        "plan-pg-note-respond-p-post",
        "plans:note_respond",
        "post",
        kwargs=_id("note_p"),
        data=lambda c: {"response": "已按要求整改"},
        expect=statuses(403, **MEMBER, member=302),
        changes=("member",),
    ),
    Row(
        "plan-pg-note-respond-b",
        "plans:note_respond",
        kwargs=_id("note_b"),
        expect=statuses(403, **MEMBER, member=404),
    ),
    # progress reports
    Row("plan-pg-reports", "plans:report_list", expect=officers(200, member=200)),
    Row("plan-pg-report-export", "plans:report_export", expect=officers(200)),
    Row(
        "plan-pg-report-p",
        "plans:report_detail",
        kwargs=_id("report_p_sub"),
        expect=officers(200, **P_ONLY, member=200),
    ),
    Row(
        "plan-pg-report-b",
        "plans:report_detail",
        kwargs=_id("report_b_sub"),
        expect=officers(200, **B_ONLY, member=404),
    ),
    Row(
        "plan-pg-report-edit-p",
        "plans:report_edit",
        kwargs=_id("report_p_owed"),
        expect=statuses(403, **MEMBER, member=200),
    ),
    Row(
        "plan-pg-report-edit-p-post",
        "plans:report_edit",
        "post",
        kwargs=_id("report_p_owed"),
        data=lambda c: {"text": "完成了两期教师培训", "progress": "50"},
        expect=statuses(403, **MEMBER, member=302),
        changes=("member",),
    ),
    # A submitted report is no longer editable: back to the report, nothing changes.
    Row(
        "plan-pg-report-edit-p-submitted-post",
        "plans:report_edit",
        "post",
        kwargs=_id("report_p_sub"),
        data=lambda c: {"text": "再次提交"},
        expect=statuses(403, **MEMBER, member=302),
    ),
    Row(
        "plan-pg-report-edit-b",
        "plans:report_edit",
        kwargs=_id("report_b_owed"),
        expect=statuses(403, **MEMBER, member=404),
    ),
    Row(
        "plan-pg-report-accept-p",
        "plans:report_review",
        "post",
        kwargs=_review("report_p_sub", "accept"),
        expect=officers(302, **P_ONLY),
        changes=("province",),
    ),
    Row(
        "plan-pg-report-return-b",
        "plans:report_review",
        "post",
        kwargs=_review("report_b_sub", "return"),
        data=lambda c: {"reason": "请补充活动照片"},
        expect=officers(302, **B_ONLY),
        changes=("province", "county_b"),
    ),
    # Returning needs a reason: the form comes back with the error, nothing changes.
    Row(
        "plan-pg-report-return-p-no-reason",
        "plans:report_review",
        "post",
        kwargs=_review("report_p_sub", "return"),
        expect=officers(400, **P_ONLY),
    ),
    Row(
        "plan-pg-report-review-unknown-step",
        "plans:report_review",
        "post",
        kwargs=_review("report_p_sub", "approve"),
        expect=officers(404),
    ),
    Row(
        "plan-pg-report-file-p",
        "plans:report_attachment",
        kwargs=lambda c: {"pk": c["report_p_sub"].pk, "file_pk": c["attachment_p"].pk},
        expect=officers(200, **P_ONLY, member=200),
    ),
]
