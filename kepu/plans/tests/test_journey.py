"""A responsible unit reports its overdue quarterly progress on a phone, the province
returns it for revision, the unit revises and resubmits, the province accepts it, and the
plan dashboard moves (one overdue report fewer, one more accepted, the task's progress)."""

import re
import sqlite3

import pytest

from kepu.core.tests.browser.fixtures import SERVER, log_in, shot
from kepu.plans.tests.helpers import PDF

pytestmark = pytest.mark.browser


def _ids():
    with sqlite3.connect(SERVER["db"]) as db:
        plan_id, task_id = db.execute(
            "SELECT p.id, t.id FROM plans_plan p JOIN plans_task t ON t.plan_id = p.id "
            "WHERE p.title LIKE '%全省科普工作要点' AND t.title = '青少年科学素质提升'"
        ).fetchone()
        report_id = db.execute(
            "SELECT r.id FROM plans_progressreport r JOIN core_organization o "
            "ON o.id = r.organization_id WHERE r.task_id = ? AND o.name = '四川省教育厅' "
            "AND r.status = 'pending' ORDER BY r.period_start LIMIT 1",
            (task_id,),
        ).fetchone()[0]
    return plan_id, task_id, report_id


def kpi(page, label):
    card = page.locator(".kepu-dash-kpis .card", has_text=label).first
    return card.locator(".kepu-kpi").first.inner_text().split("/")[0].strip()


def test_report_returned_resubmitted_accepted_moves_the_dashboard(browser, server_url, tmp_path):
    plan_id, task_id, report_id = _ids()
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    province = desk.new_page()
    log_in(province, server_url, "demo-province")
    province.wait_for_url(re.compile(r".*/workbench/"))
    province.goto(f"{server_url}/plans/{plan_id}/")
    overdue_before = int(kpi(province, "逾期未报"))
    assert overdue_before >= 1
    shot(province, "e2e-plan-dashboard-before")

    # The education department, on a phone, fills its overdue report with evidence.
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    member = phone_ctx.new_page()
    log_in(member, server_url, "demo-member")
    member.goto(f"{server_url}/plans/reports/{report_id}/edit/")
    member.fill("#id_text", "本季度组织科学家进校园活动 36 场，培训科技辅导员 120 人。")
    member.fill("#id_progress", "60")
    figure = member.locator("input[id^='id_figure_']")
    if figure.count():
        figure.first.fill("480")
    evidence = tmp_path / "活动佐证.pdf"
    evidence.write_bytes(PDF)
    member.set_input_files("#id_attachments", str(evidence))
    shot(member, "e2e-plan-report-phone")
    member.get_by_role("button", name="报送").click()
    member.wait_for_url(re.compile(rf".*/plans/reports/{report_id}/$"))
    assert "已报送" in member.content()

    # The province returns it with a reason.
    province.goto(f"{server_url}/plans/reports/{report_id}/")
    province.fill("#id_reason", "请补充活动照片和签到表")
    province.get_by_role("button", name="退回修改").click()
    province.wait_for_url(re.compile(rf".*/plans/reports/{report_id}/$"))
    assert "退回修改" in province.content()

    # The unit sees the reason, revises and resubmits.
    member.goto(f"{server_url}/plans/reports/{report_id}/")
    assert "请补充活动照片和签到表" in member.content()
    member.goto(f"{server_url}/plans/reports/{report_id}/edit/")
    member.fill("#id_text", "已补充活动照片和签到表。本季度组织科学家进校园活动 36 场。")
    member.get_by_role("button", name="报送").click()
    member.wait_for_url(re.compile(rf".*/plans/reports/{report_id}/$"))

    # The province accepts; the dashboard moves.
    province.goto(f"{server_url}/plans/reports/{report_id}/")
    province.get_by_role("button", name="审核通过").click()
    province.wait_for_url(re.compile(rf".*/plans/reports/{report_id}/$"))
    shot(province, "e2e-plan-report-accepted")
    province.goto(f"{server_url}/plans/{plan_id}/")
    assert int(kpi(province, "逾期未报")) == overdue_before - 1
    shot(province, "e2e-plan-dashboard-after")
    province.goto(f"{server_url}/plans/tasks/{task_id}/")
    assert "60%" in province.content()
    with sqlite3.connect(SERVER["db"]) as db:
        actions = [
            row[0]
            for row in db.execute(
                "SELECT action FROM core_auditentry WHERE object_type = 'plans.progressreport' "
                "AND object_id = ? ORDER BY id",
                (str(report_id),),
            )
        ]
    assert actions == [
        "plans.progressreport.submitted",
        "plans.progressreport.returned",
        "plans.progressreport.submitted",
        "plans.progressreport.accepted",
    ]
    desk.close()
    phone_ctx.close()
