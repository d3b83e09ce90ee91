"""Matrix rows of the projects area.

The projects are 锦江区科学技术协会's (county_a and above manage them; 涪城区 sees none)
and one of 四川省教育厅 (its member-unit staff report on it): one under way (funded in
advance, with a milestone and a target), one awaiting acceptance, one just approved.
Every project is entered by the system (created_by None), so four-eyes holds nobody
back here (the tests cover it)."""

from kepu.core.testing import Row, officers
from kepu.selections import choices as c
from kepu.selections.services import projects as services
from kepu.selections.tests.helpers_projects import GOOD, MEMBER_UNIT, UNIT_A, make_project


def context(ctx):
    services.acceptance_rubric()
    under_way = make_project(c.ProjectStatus.CONTRACTED, title="矩阵专项在研")
    ctx["proj_a"] = under_way
    ctx["proj_milestone"] = services.add_milestone(
        under_way, actor=None, title="中期报告", due_on=under_way.starts_on
    )
    ctx["proj_target"] = services.add_target(
        under_way, actor=None, kind=c.TargetKind.OUTPUT, indicator="讲座场次", target=10, unit="场"
    )
    ctx["proj_acc"] = make_project(c.ProjectStatus.ACCEPTANCE, title="矩阵专项待验收")
    ctx["proj_new"] = make_project(title="矩阵专项已立项")
    ctx["proj_member"] = make_project(org=MEMBER_UNIT, title="矩阵专项教育厅")


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new(ctx):
    return {
        "title": "矩阵新专项",
        "organization": UNIT_A,
        "year": 2026,
        "project_type": "activity",
        "level": "general",
        "funding_mode": "after",
        "approved_amount": "50000",
        "starts_on": "2026-03-01",
        "ends_on": "2026-12-31",
    }


def _check(ctx):
    return {
        "kind": "acceptance",
        "result": "passed",
        **{f"c_{k}": v for k, v in GOOD.items()},
    }


A = {"county_b": 404, "member": 404}
A_SIDE = ("province", "city", "county_a")
ON_A = officers(200, **A)
POST_A = officers(302, **A)
CHANGE_A = officers(200, county_b=404)  # member-unit staff hold no such permission: 403
POST_CHANGE = officers(302, county_b=404)
MEMBER_OWN = officers(200, member=200, city=404, county_a=404, county_b=404)

ROWS = [
    Row("proj-list", "selections:project_list", expect=officers(200, member=200)),
    Row("proj-export", "selections:project_list_export", expect=officers(200)),
    Row("proj-stats", "selections:project_stats", expect=officers(200)),
    Row("proj-new", "selections:project_create", expect=officers(200)),
    Row("proj-new-post", "selections:project_create", "post", data=_new,
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("proj-detail", "selections:project_detail", kwargs=_pk("proj_a"), expect=ON_A),
    Row("proj-detail-member", "selections:project_detail", kwargs=_pk("proj_member"),
        expect=MEMBER_OWN),
    Row("proj-edit", "selections:project_edit", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-edit-post", "selections:project_edit", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {**_new(ctx), "title": "矩阵专项在研（改）", "funding_mode": "prefunded"},
        expect=POST_CHANGE, changes=A_SIDE),
    Row("proj-budget", "selections:project_budget", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-budget-post", "selections:project_budget", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"equipment": "20000", "labour": "30000"}, expect=POST_CHANGE,
        changes=A_SIDE),
    Row("proj-contract", "selections:project_contract", kwargs=_pk("proj_new"), expect=CHANGE_A),
    Row("proj-contract-post", "selections:project_contract", "post", kwargs=_pk("proj_new"),
        data=lambda ctx: {"number": "HT-矩阵-1", "signed_on": "2026-01-05"}, expect=POST_CHANGE,
        changes=A_SIDE),
    Row("proj-milestones", "selections:project_milestones", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-milestones-post", "selections:project_milestones", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"title": "结题报告", "due_on": "2099-06-30"}, expect=POST_CHANGE,
        changes=A_SIDE),
    Row("proj-milestone-done", "selections:project_milestone_done", "post",
        kwargs=lambda ctx: {"pk": ctx["proj_a"].pk, "mid": ctx["proj_milestone"].pk},
        expect=POST_A, changes=A_SIDE),
    Row("proj-targets", "selections:project_targets", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-targets-post", "selections:project_targets", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"kind": "satisfaction", "indicator": "满意度", "target": "90"},
        expect=POST_CHANGE, changes=A_SIDE),
    Row("proj-actuals", "selections:project_actuals", kwargs=_pk("proj_a"), expect=ON_A),
    Row("proj-actuals-post", "selections:project_actuals", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {f"t{ctx['proj_target'].pk}": "12"}, expect=POST_A, changes=A_SIDE),
    Row("proj-checks", "selections:project_checks", kwargs=_pk("proj_acc"), expect=CHANGE_A),
    Row("proj-checks-post", "selections:project_checks", "post", kwargs=_pk("proj_acc"),
        data=_check, expect=POST_CHANGE, changes=A_SIDE),
    Row("proj-pay", "selections:project_disbursements", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-pay-post", "selections:project_disbursements", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"amount": "10000", "paid_on": "2026-01-10", "voucher": "PZ-1"},
        expect=POST_CHANGE, changes=A_SIDE),
    Row("proj-outputs", "selections:project_outputs", kwargs=_pk("proj_a"), expect=ON_A),
    Row("proj-outputs-post", "selections:project_outputs", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"note": "社区讲座 3 场", "audience": "300"}, expect=POST_A,
        changes=A_SIDE),
    Row("proj-submit", "selections:project_submit", "post", kwargs=_pk("proj_a"),
        expect=POST_A, changes=A_SIDE),
    Row("proj-terminate", "selections:project_terminate", kwargs=_pk("proj_a"), expect=CHANGE_A),
    Row("proj-terminate-post", "selections:project_terminate", "post", kwargs=_pk("proj_a"),
        data=lambda ctx: {"reason": "单位放弃"}, expect=POST_CHANGE, changes=A_SIDE),
    Row("api-projects", "api:selection-project-list",
        expect=officers(200, member=200, anonymous=401)),
    Row("api-project", "api:selection-project-detail", kwargs=_pk("proj_a"),
        expect=officers(200, anonymous=401, **A)),
]  # fmt: skip
