"""Plan rows of the authorization matrix (collected by kepu/core/tests): the back-office
pages (authz_pages), the target and dashboard pages (authz_targets) and the API
(authz_api), over the objects made here.

Two plans: `plan_p` of the province, whose task names 四川省教育厅 (the member persona)
as lead unit, and `plan_b` of county B (涪城区), whose units are county B's own. The
province plan applies to the city of Chengdu (a part of `target_p`) and to county A
(`target_p_a`, a target for 锦江区), who read it but do not act on it; not to county B
(the Mianyang part does not reach 涪城区). The member unit reaches the province plan only.
"""

import datetime

from django.utils import timezone

from kepu.plans import services
from kepu.plans.tests import authz_meetings
from kepu.plans.tests.authz_api import API_ROWS
from kepu.plans.tests.authz_assessment import ASSESSMENT_ROWS
from kepu.plans.tests.authz_assessment import context as assessment_context
from kepu.plans.tests.authz_pages import PAGE_ROWS
from kepu.plans.tests.authz_targets import TARGET_ROWS
from kepu.plans.tests.helpers import make_plan, make_target, org, pdf_upload, region


def context(ctx):
    today = timezone.localdate()
    plan_p = make_plan(
        title="矩阵省级规划",
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year, 12, 31),
    )
    plan_b = make_plan(
        code="510703",
        title="矩阵涪城区规划",
        issuer="涪城区科学技术协会",
        lead="涪城区科学技术协会",
        responsible=("绵阳南山中学",),
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year, 12, 31),
    )
    ctx["plan_p"], ctx["plan_b"] = plan_p, plan_b
    ctx["plan_draft_b"] = make_plan(
        code="510703",
        title="矩阵涪城区草稿规划",
        issuer="涪城区科学技术协会",
        lead="涪城区科学技术协会",
        responsible=(),
        publish=False,
    )
    ctx["task_p"] = plan_p.tasks.get()
    ctx["task_b"] = plan_b.tasks.get()
    reports_p = (
        ctx["task_p"].reports.filter(organization=org("四川省教育厅")).order_by("period_start")
    )
    # The member's oldest report is submitted (with an attachment), the next one owed.
    ctx["report_p_sub"] = services.submit_report(
        reports_p[0], actor=None, text="已完成培训", progress=40, attachments=[pdf_upload()]
    )
    ctx["report_p_owed"] = reports_p[1]
    ctx["attachment_p"] = ctx["report_p_sub"].attachments.get()
    reports_b = (
        ctx["task_b"].reports.filter(organization=org("绵阳南山中学")).order_by("period_start")
    )
    ctx["report_b_sub"] = services.submit_report(reports_b[0], actor=None, text="开展科技节")
    ctx["report_b_owed"] = reports_b[1]
    ctx["target_p"] = make_target(plan_p)
    ctx["target_b"] = make_target(
        plan_b,
        name="科技辅导员培训",
        source="reported",
        indicator="",
        task=ctx["task_b"],
        target_value=200,
    )
    ctx["target_p_part"] = services.decompose_target(
        ctx["target_p"],
        actor=None,
        parts=[
            {"region": region("5107"), "target_value": 100},
            {"region": region("5101"), "target_value": 200},
        ],
    )[0]
    ctx["target_p_a"] = make_target(
        plan_p, name="科普示范社区", unit="个", region=region("510104"), target_value=2
    )
    ctx["note_p"] = services.add_note(
        ctx["task_p"], actor=None, text="请加快进度", organization=org("四川省教育厅")
    )
    ctx["note_b"] = services.add_note(ctx["task_b"], actor=None, text="材料不全")
    authz_meetings.context(ctx)
    assessment_context(ctx)


ROWS = [*PAGE_ROWS, *TARGET_ROWS, *API_ROWS, *authz_meetings.MEETING_ROWS, *ASSESSMENT_ROWS]
