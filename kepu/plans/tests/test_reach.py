"""Plans visible where they apply, and one rule for a plan's overall progress.

Through HTTP with the personas: a published plan of the province applies to a city or a
county when one of its targets is for that region (or a region within it) or one of its
tasks names a unit there; the officers there read it (plan list and page, task and target
pages, target list and export, the API) and act on nothing above their own part. A share
of the region above does not make a plan apply. Drafts stay invisible. Then the overall
progress on a constructed plan, exact figures, the same on every page and in the API."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry
from kepu.plans import progress, services
from kepu.plans.models import Plan, ProgressReport, Target, Task
from kepu.plans.tests.helpers import make_plan, make_target, org, region

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def plan():
    """The province's plan: its target decomposed to 成都市 (5101) and 绵阳市 (5107),
    a second target set for 锦江区 (510104) directly. Its task names provincial units."""
    plan = make_plan(title="省级适用规划")
    target = make_target(plan, name="专职科普人员新增", target_value=300)
    services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5101"), "target_value": 200},
            {"region": region("5107"), "target_value": 100},
        ],
    )
    plan.target = target
    plan.county_target = make_target(
        plan, name="科普示范社区", unit="个", region=region("510104"), target_value=2
    )
    return plan


def _listed(client, plan):
    return plan.title in client.get(reverse("plans:plan_list")).content.decode()


def _targets_listed(client, plan) -> set[int]:
    page = client.get(reverse("plans:target_list"), {"plan": plan.pk}).context["page"]
    return {s.target.pk for s in page}


def test_the_plan_applies_to_the_regions_its_targets_reach(as_persona, plan):
    all_targets = set(Target.objects.filter(plan=plan).values_list("pk", flat=True))
    assert len(all_targets) == 4
    task = plan.tasks.get()
    for persona in ("province", "city", "county_a"):
        client = as_persona(persona)
        assert _listed(client, plan), persona
        assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
        assert client.get(reverse("plans:task_detail", args=[task.pk])).status_code == 200
        # Every target of the plan, read-only: no fewer than the public page shows.
        assert _targets_listed(client, plan) == all_targets, persona
        detail = reverse("plans:target_detail", args=[plan.target.pk])
        assert client.get(detail).status_code == 200
        api = client.get(reverse("api:plan-list")).json()
        assert plan.pk in {row["id"] for row in api["results"]}, persona
        api = client.get(reverse("api:plan-target-list"), {"plan": plan.pk}).json()
        assert {row["id"] for row in api["results"]} == all_targets, persona
    # 涪城区 is in 绵阳市, which has a share: that does not make the plan apply to it.
    client = as_persona("county_b")
    assert not _listed(client, plan)
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:task_detail", args=[task.pk])).status_code == 404
    assert _targets_listed(client, plan) == set()
    assert client.get(reverse("api:plan-detail", args=[plan.pk])).status_code == 404
    # ... but it is public: the portal shows it to county B as to anyone.
    assert client.get(reverse("plans:public_plan_detail", args=[plan.pk])).status_code == 200


def test_a_share_of_the_region_above_does_not_reach_a_county(as_persona):
    plan = make_plan(title="只分解到市的规划")
    target = make_target(plan, target_value=300)
    services.decompose_target(
        target, actor=None, parts=[{"region": region("5101"), "target_value": 300}]
    )
    assert _listed(as_persona("city"), plan)
    assert not _listed(as_persona("county_a"), plan)
    response = as_persona("county_a").get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 404


def test_a_task_naming_a_unit_of_the_region_makes_the_plan_apply(as_persona):
    plan = make_plan(title="点名涪城区单位的规划", responsible=("涪城区科学技术协会",))
    task = plan.tasks.get()
    for persona in ("county_b", "province"):
        assert _listed(as_persona(persona), plan), persona
    page = as_persona("county_b").get(reverse("plans:task_detail", args=[task.pk]))
    assert page.status_code == 200
    # County A and Chengdu have no unit on it.
    for persona in ("county_a", "city"):
        assert not _listed(as_persona(persona), plan), persona


def test_drafts_of_a_higher_region_stay_invisible(as_persona):
    draft = make_plan(title="省级草稿规划", publish=False)
    make_target(draft, region=region("510104"), target_value=5)
    client = as_persona("county_a")
    assert not _listed(client, draft)
    assert client.get(reverse("plans:plan_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("api:plan-detail", args=[draft.pk])).status_code == 404


def _unchanged(plan):
    task = plan.tasks.get()
    return (
        Plan.objects.filter(pk=plan.pk).values_list("title", "summary", "status").get(),
        Task.objects.filter(pk=task.pk).values_list("status", "description").get(),
        sorted(Target.objects.filter(plan=plan).values_list("pk", "name", "target_value")),
    )


def test_acting_above_ones_own_part_is_refused_and_changes_nothing(as_persona, plan):
    task = plan.tasks.get()
    before = _unchanged(plan)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for persona in ("city", "county_a"):
        client = as_persona(persona)
        posts = [
            (reverse("plans:task_status", args=[task.pk]), {"status": "done"}),
            (reverse("plans:plan_update", args=[plan.pk]), {"title": "改名"}),
            (reverse("plans:plan_close", args=[plan.pk]), {}),
            (reverse("plans:target_decompose", args=[plan.target.pk]), {"r5101": "300"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (persona, url)
        response = client.patch(
            reverse("api:plan-detail", args=[plan.pk]),
            {"summary": "越权修改"},
            content_type="application/json",
        )
        assert response.status_code == 403
        response = client.patch(
            reverse("api:plan-target-detail", args=[plan.target.pk]),
            {"target_value": "9"},
            content_type="application/json",
        )
        assert response.status_code == 403
        page = client.get(reverse("plans:plan_detail", args=[plan.pk]))
        assert not page.context["can_change"] and not page.context["can_publish"]
        assert page.context["read_only"]
    assert _unchanged(plan) == before
    assert not AuditEntry.objects.filter(pk__gt=last, action__startswith="plans.").exists()


def test_the_targets_export_is_scoped_like_the_list(as_persona, plan):
    for persona, expected in (("county_a", 4), ("county_b", 0)):
        response = as_persona(persona).get(reverse("plans:target_export"), {"plan": plan.pk})
        assert response.status_code == 200
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        rows = book.get_sheet_by_index(0).to_python()
        body = [row for row in rows[1:] if any(row)]
        assert len(body) == expected, persona
        if expected:
            assert rows[0][:3] == ["规划", "指标", "地区或单位"]
            assert {row[0] for row in body} == {"省级适用规划"}
            assert {row[2] for row in body} == {"四川省", "成都市", "绵阳市", "锦江区"}
    entry = AuditEntry.objects.filter(action="plans.target.exported").latest("pk")
    assert entry.detail["rows"] == 0 and entry.detail["filters"] == {"plan": str(plan.pk)}


# --- the overall progress ---------------------------------------------------------------


def _report(task, unit, quarter):
    return ProgressReport.objects.get(
        task=task, organization=org(unit), period_start=datetime.date(LAST_YEAR, quarter * 3 - 2, 1)
    )


@pytest.fixture
def measured_plan():
    """Last year's plan (published on 1 July, both quarters long due), three reported
    targets and three tasks:

    targets (reported by 绵阳市科学技术协会 on task 1, accepted):
      A  0 → 200, reported 50: 25%, behind (missed: the deadline passed)
      B  10 → 40, reported 40: 100%, met
      C  0 → 10, reported 15: 150%, counted as 100, met
      → targets' completion (25 + 100 + 100) / 3 = 75
    tasks: 1 (weight 1) done; 2 (weight 3) in progress and overdue; 2.1 (weight 1) an
      action of task 2, not started, no deadline
      → tasks' completion 1 / (1 + 3 + 1) = 20
    overall (75 + 20) / 2 = 47.5 → 48"""
    plan = make_plan(
        title="总体进度测算规划",
        lead="绵阳市科学技术协会",
        responsible=(),
        start=datetime.date(LAST_YEAR, 1, 1),
        end=datetime.date(LAST_YEAR, 6, 30),
        publish=False,
    )
    t1 = plan.tasks.get()
    t2 = services.create_task(
        plan,
        actor=None,
        number="2",
        title="建设科普基础设施",
        lead_unit=org("四川科技馆"),
        deadline=TODAY - datetime.timedelta(days=3),
        weight=3,
    )
    services.create_task(
        plan, actor=None, parent=t2, number="2.1", title="改造展厅", lead_unit=org("四川科技馆")
    )
    values = {"A": (0, 200, 50), "B": (10, 40, 40), "C": (0, 10, 15)}
    targets = {
        name: make_target(
            plan,
            task=t1,
            name=f"指标{name}",
            source="reported",
            indicator="",
            baseline_value=base,
            target_value=goal,
        )
        for name, (base, goal, _value) in values.items()
    }
    services.publish_plan(plan, actor=None, today=datetime.date(LAST_YEAR, 7, 1))
    report = services.submit_report(
        _report(t1, "绵阳市科学技术协会", 2),
        actor=None,
        text="已完成",
        progress=98,  # what the unit says: not counted
        figures={targets[n].pk: value for n, (_b, _g, value) in values.items()},
    )
    services.accept_report(report, actor=None)
    services.set_task_status(t1, actor=None, status="done")
    services.set_task_status(t2, actor=None, status="in_progress")
    Task.objects.filter(pk=t2.pk).update(progress=95)  # reported progress: not counted
    return plan


def test_the_overall_progress_rule_gives_exact_figures(measured_plan):
    overall = progress.plan_overall(measured_plan)
    assert (overall.targets_percent, overall.tasks_percent, overall.percent) == (75, 20, 48)
    assert (overall.targets_total, overall.targets_met, overall.targets_behind) == (3, 2, 1)
    assert (overall.tasks_total, overall.tasks_done, overall.tasks_overdue) == (3, 1, 1)


def test_every_page_shows_the_same_overall_progress(as_persona, client, measured_plan):
    pk = measured_plan.pk
    officer = as_persona("province")
    pages = [
        officer.get(reverse("plans:plan_detail", args=[pk])).context["overall"],
        client.get(reverse("plans:public_plan_detail", args=[pk])).context["overall"],
        {p.pk: p for p in officer.get(reverse("plans:plan_list")).context["page"]}[pk].overall,
        {p.pk: p for p in client.get(reverse("plans:public_plan_list")).context["page"]}[
            pk
        ].overall,
    ]
    assert {(o.percent, o.targets_percent, o.tasks_percent) for o in pages} == {(48, 75, 20)}
    client.cookies["django_language"] = "en"
    html = client.get(reverse("plans:public_plan_detail", args=[pk])).content.decode()
    assert "Overall progress = (targets’ completion + tasks’ completion) ÷ 2." in html
    assert "2/3 met" in html and "1/3 done" in html and "1 task overdue" in html
    assert officer.get(reverse("api:plan-detail", args=[pk])).json()["progress"] == 48
    assert client.get(reverse("api:public-plan-detail", args=[pk])).json()["progress"] == 48


def test_a_plan_has_one_name_everywhere(as_persona):
    title = "四川省科普人才队伍建设实施方案（2024—2026年）"
    plan = make_plan(title=title, short_title="科普人才方案")
    make_target(plan, target_value=10)
    assert str(plan) == plan.title
    client = as_persona("province")
    client.cookies["django_language"] = "en"
    targets = client.get(reverse("plans:target_list"), {"plan": plan.pk}).content.decode()
    assert plan.title in targets and "科普人才方案" not in targets
    detail = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert plan.title in detail and "Short title: 科普人才方案" in detail
