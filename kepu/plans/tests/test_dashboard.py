"""The plan overview, the target pages, the progress bulletin and the public progress
pages, through HTTP with the personas: exact figures on constructed plans, live
measurement from the people registry, decomposition, trajectories, exports, what the
public may see, and bounded query counts."""

import datetime
import io
import json
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry
from kepu.people import services as people
from kepu.people.models import Registration
from kepu.people.tests.authz import valid_id
from kepu.plans import services
from kepu.plans.models import ProgressReport, Target
from kepu.plans.tests.helpers import make_plan, make_target, org, region

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def _at(day, *, late_by=0):
    moment = datetime.datetime.combine(day + datetime.timedelta(days=late_by), datetime.time(12))
    return timezone.make_aware(moment)


def _report(task, unit, quarter):
    return ProgressReport.objects.get(
        task=task, organization=org(unit), period_start=datetime.date(LAST_YEAR, quarter * 3 - 2, 1)
    )


def _submit(report, *, late_by=0, accept=False, **kwargs):
    report = services.submit_report(
        report, actor=None, text="按计划推进", now=_at(report.due_date, late_by=late_by), **kwargs
    )
    if accept:
        report = services.accept_report(report, actor=None)
    return report


@pytest.fixture
def plan():
    """A province plan of last year's first half (two quarterly periods, both long due):

    1  lead 四川省教育厅, with 四川省科学技术协会; not started, due in a month (weight 1)
    1.1  an action of task 1, lead 四川省科学技术协会; in progress, no deadline
    2  lead 四川科技馆; in progress, ten days past its deadline (weight 2)
    3  lead 绵阳市科学技术协会; done five days ago (weight 1)

    Reports (10, all due): accepted 4, submitted 3, overdue 3; on time 6, late 1."""
    plan = services.create_plan(
        actor=None,
        title="仪表盘测试规划",
        issuer="四川省科学技术协会",
        document_number="川科协发〔2024〕1号",
        region=region("51"),
        period_start=datetime.date(LAST_YEAR, 1, 1),
        period_end=datetime.date(LAST_YEAR, 6, 30),
    )
    section = services.add_section(plan, actor=None, number="一", title="重点任务")
    other = services.add_section(plan, actor=None, number="二", title="保障措施")
    t1 = services.create_task(
        plan,
        actor=None,
        section=section,
        number="1",
        title="实施青少年科学素质提升行动",
        lead_unit=org("四川省教育厅"),
        responsible_units=[org("四川省科学技术协会")],
        deadline=TODAY + datetime.timedelta(days=30),
    )
    t11 = services.create_task(
        plan,
        actor=None,
        section=section,
        parent=t1,
        number="1.1",
        title="开展科学教育进校园",
        lead_unit=org("四川省科学技术协会"),
    )
    t2 = services.create_task(
        plan,
        actor=None,
        section=other,
        number="2",
        title="建设科普基础设施",
        lead_unit=org("四川科技馆"),
        deadline=TODAY - datetime.timedelta(days=10),
        weight=2,
    )
    t3 = services.create_task(
        plan,
        actor=None,
        section=other,
        number="3",
        title="培育科普人才队伍",
        lead_unit=org("绵阳市科学技术协会"),
        deadline=TODAY - datetime.timedelta(days=5),
    )
    services.publish_plan(plan, actor=None, today=datetime.date(LAST_YEAR, 7, 1))
    services.set_task_status(t11, actor=None, status="in_progress")
    services.set_task_status(t2, actor=None, status="in_progress")
    services.set_task_status(t3, actor=None, status="done")
    assert ProgressReport.objects.filter(task__plan=plan).count() == 10
    _submit(_report(t1, "四川省教育厅", 1), accept=True)
    _submit(_report(t1, "四川省教育厅", 2), late_by=3)
    _submit(_report(t1, "四川省科学技术协会", 1))
    _submit(_report(t2, "四川科技馆", 1), accept=True)
    _submit(_report(t3, "绵阳市科学技术协会", 1), accept=True)
    _submit(_report(t3, "绵阳市科学技术协会", 2), accept=True)
    _submit(_report(t11, "四川省科学技术协会", 1))
    plan.refresh_from_db()
    plan.t1, plan.t11, plan.t2, plan.t3 = t1, t11, t2, t3
    return plan


def _dashboard(client, plan):
    response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response


# --- the overview -----------------------------------------------------------------------


def test_dashboard_figures_are_exact(as_persona, plan):
    response = _dashboard(as_persona("province"), plan)
    ctx = response.context
    assert ctx["task_counts"] == {"overdue": 1, "not_started": 1, "in_progress": 1, "done": 1}
    assert ctx["task_total"] == 4
    # The overall progress (no targets: the tasks' completion alone): the weight of the
    # tasks marked done (task 3, weight 1) over all (1 + 1 + 2 + 1), the action included.
    overall = ctx["overall"]
    assert (overall.percent, overall.tasks_percent, overall.targets_percent) == (20, 20, None)
    assert (overall.tasks_done, overall.tasks_total, overall.tasks_overdue) == (1, 4, 1)
    assert ctx["reports"] == {
        "total": 10,
        "accepted": 4,
        "submitted": 3,
        "returned": 0,
        "overdue": 3,
        "on_time": 6,
        "late": 1,
    }
    assert (ctx["reports_due"], ctx["reports_on_time"], ctx["on_time_rate"]) == (10, 6, 60)
    ranking = [(r["organization__name"], r["due"], r["on_time"], r["rate"]) for r in ctx["ranking"]]
    assert ranking == [
        ("绵阳市科学技术协会", 2, 2, 100),
        ("四川省教育厅", 2, 1, 50),  # one late, none overdue
        ("四川科技馆", 2, 1, 50),  # one overdue
        ("四川省科学技术协会", 4, 2, 50),  # two overdue
    ]
    assert [r["rank"] for r in ctx["ranking"]] == [1, 2, 3, 4]
    assert [(row["task"].number, row["days_late"]) for row in ctx["overdue_tasks"]] == [("2", 10)]
    late = [
        (i["report"].organization.name, i["report"].task.number) for i in ctx["overdue_reports"]
    ]
    assert sorted(late) == [
        ("四川省科学技术协会", "1"),
        ("四川省科学技术协会", "1.1"),
        ("四川科技馆", "2"),
    ]
    assert all(i["days_late"] > 0 for i in ctx["overdue_reports"])
    # The division-of-work table: sections in order, the action under its task.
    table = [
        (str(g["section"]), [(r["task"].number, r["depth"], r["status"]) for r in g["rows"]])
        for g in ctx["table"]
    ]
    assert table == [
        ("一、重点任务", [("1", 0, "not_started"), ("1.1", 1, "in_progress")]),
        ("二、保障措施", [("2", 0, "overdue"), ("3", 0, "done")]),
    ]
    first = ctx["table"][0]["rows"][0]
    assert (str(first["lead"]), first["responsible"]) == ("四川省教育厅", "四川省科学技术协会")
    chart = json.loads(
        re.search(
            r'<script id="plan-dashboard-data" type="application/json">(.*?)</script>',
            response.content.decode(),
        ).group(1)
    )
    assert {t["key"]: t["value"] for t in chart["tasks"]} == ctx["task_counts"]
    html = response.content.decode()
    assert reverse("plans:bulletin_xlsx", args=[plan.pk]) in html
    assert reverse("plans:plan_close", args=[plan.pk]) in html
    assert reverse("plans:plan_publish", args=[plan.pk]) not in html


def test_member_staff_see_only_their_own_units_reports(as_persona, plan):
    ctx = _dashboard(as_persona("member"), plan).context
    assert ctx["task_total"] == 4  # the whole table
    assert ctx["reports"]["total"] == 2 and ctx["reports"]["accepted"] == 1
    assert [r["organization__name"] for r in ctx["ranking"]] == ["四川省教育厅"]
    assert ctx["overdue_reports"] == []
    assert not ctx["can_change"] and not ctx["can_publish"] and ctx["can_export"]
    # Only the tasks the unit is named on link to their pages.
    links = {r["task"].number: r["link"] for g in ctx["table"] for r in g["rows"]}
    assert links == {"1": True, "1.1": False, "2": False, "3": False}


def test_draft_plan_offers_publishing(as_persona):
    draft = make_plan(publish=False, title="草稿规划")
    html = _dashboard(as_persona("province"), draft).content.decode()
    assert reverse("plans:plan_publish", args=[draft.pk]) in html
    assert reverse("plans:public_plan_detail", args=[draft.pk]) not in html


# --- targets measured from the people registry ------------------------------------------


def _fulltime_count(path, since, until=TODAY):
    return Registration.objects.filter(
        kind="fulltime",
        status="certified",
        start_date__gt=since,
        start_date__lte=until,
        region__path__startswith=path,
    ).count()


def _add_fulltime(code, body="51070319900101001"):
    person = people.create_person(
        actor=None, name="新增专职人员", id_number=valid_id(body), region=region(code)
    )
    return people.add_registration(person, actor=None, kind="fulltime", start_date=TODAY)


def _measured_target():
    plan = make_plan(title="人才规划")
    since = plan.period_start - datetime.timedelta(days=1)
    target = make_target(plan, baseline_date=since, baseline_value=5, target_value=300)
    return plan, target, since


def test_measured_target_follows_the_registry(as_persona):
    _plan, target, since = _measured_target()
    client = as_persona("province")
    url = reverse("plans:target_detail", args=[target.pk])
    before = client.get(url).context
    assert before["standing"].actual == 5 + _fulltime_count("51/", since)
    mianyang = {r["where"].code: r["actual"] for r in before["drill"]}
    assert mianyang["5107"] == _fulltime_count("51/5107/", since)
    assert mianyang["5101"] == _fulltime_count("51/5101/", since)
    assert len(before["drill"]) == 21  # every city of Sichuan, with no target of its own

    _add_fulltime("510703")
    after = client.get(url).context
    assert after["standing"].actual == before["standing"].actual + 1
    drill = {r["where"].code: r["actual"] for r in after["drill"]}
    assert drill["5107"] == mianyang["5107"] + 1 and drill["5101"] == mianyang["5101"]


def test_drilldown_of_parts_per_city(as_persona):
    _plan, target, since = _measured_target()
    services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5107"), "target_value": 100, "baseline_value": 2},
            {"region": region("5101"), "target_value": 200, "baseline_value": 3},
        ],
    )
    _add_fulltime("510703")
    response = as_persona("province").get(reverse("plans:target_detail", args=[target.pk]))
    rows = {
        r["where"].code: (r["part"].target_value, r["standing"].actual, r["link"])
        for r in response.context["drill"]
    }
    assert rows == {
        "5107": (100, 2 + _fulltime_count("51/5107/", since), True),
        "5101": (200, 3 + _fulltime_count("51/5101/", since), True),
    }
    # The city of Chengdu acts on its own part; the plan reaches it through that part, so
    # it also reads the province's target and the other cities' parts (read-only: issue
    # 19, plans visible where they apply; the public progress page shows them to anyone).
    city = as_persona("city")
    listed = city.get(reverse("plans:target_list")).context["page"].object_list
    names = {(s.target.region.code, s.target.parent_id) for s in listed}
    assert ("5101", target.pk) in names
    chengdu = target.parts.get(region__code="5101")
    page = city.get(reverse("plans:target_detail", args=[chengdu.pk]))
    assert page.status_code == 200
    assert city.get(reverse("plans:target_detail", args=[target.pk])).status_code == 200
    # County B (涪城区, in 绵阳市) is reached by neither part: the plan stays out of its sight.
    county_b = as_persona("county_b")
    assert county_b.get(reverse("plans:target_detail", args=[target.pk])).status_code == 404


def test_target_list_filters_by_standing_and_plan(as_persona):
    plan, target, _since = _measured_target()
    other = make_plan(title="另一个规划")
    make_target(other, name="另一项指标", source="reported", indicator="", target_value=10)
    client = as_persona("province")
    url = reverse("plans:target_list")
    by_plan = client.get(url, {"plan": plan.pk}).context["page"].object_list
    assert [s.target.pk for s in by_plan] == [target.pk]
    no_data = client.get(url, {"state": "no_data", "plan": other.pk}).context["page"]
    assert [s.target.name for s in no_data.object_list] == ["另一项指标"]
    assert client.get(url, {"state": "met", "plan": other.pk}).context["page"].paginator.count == 0


# --- decomposition ----------------------------------------------------------------------


def test_decomposition_must_add_up(as_persona):
    _plan, target, _since = _measured_target()
    client = as_persona("province")
    url = reverse("plans:target_decompose", args=[target.pk])
    page = client.get(url)
    assert {"r5101", "r5107"} <= set(page.context["form"].fields)
    assert len(page.context["form"].region_rows()) == 21  # the cities of Sichuan
    assert page.context["form"].with_baselines  # the target starts from 5

    wrong = client.post(url, {"r5107": "100", "r5101": "150"})
    assert wrong.status_code == 400
    errors = wrong.context["form"].non_field_errors()
    with translation.override("zh-hans"):
        message = _(
            "The parts add up to %(total)s, but the target is %(target)s: they must add up exactly."
        ) % {"total": "250", "target": "300"}
    assert list(errors) == [message]
    assert message in wrong.content.decode()
    assert wrong.context["total"] == 250
    assert not target.parts.exists()

    right = client.post(url, {"r5107": "100", "r5101": "150", "r5106": "50"})
    assert right.status_code == 302
    parts = {p.region.code: p.target_value for p in target.parts.select_related("region")}
    assert parts == {"5107": 100, "5101": 150, "5106": 50}
    assert AuditEntry.objects.filter(action="plans.target.decomposed", object_id=str(target.pk))
    # The form comes back prefilled with the parts.
    again = client.get(url).context["form"]
    assert again.initial["r5107"] == 100 and again.total() == 300


# --- the target form --------------------------------------------------------------------


def test_target_form_creates_once_and_shows_errors(as_persona):
    plan = make_plan(title="表单规划")
    client = as_persona("province")
    url = reverse("plans:target_create", args=[plan.pk])
    form = client.get(url).context["form"]
    assert form.initial["region"] == "51"
    assert form.fields["indicator"].help_text  # the hint is there before a choice
    data = {
        "form_token": "once",
        "source": "measured",
        "indicator": "people.volunteers_added",
        "name": "",
        "unit": "",
        "region": "5107",
        "baseline_date": plan.period_start.isoformat(),
        "baseline_value": "0",
        "target_value": "500",
        "deadline": plan.period_end.isoformat(),
        "additive": "on",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302 and second.url == first.url
    target = Target.objects.get(plan=plan)
    with translation.override("zh-hans"):
        from kepu.plans.indicators import REGISTRY

        label = str(REGISTRY["people.volunteers_added"].label)
    assert (target.name, target.region.code, target.indicator) == (label, "5107", data["indicator"])

    bad = client.post(
        url, {**data, "form_token": "twice", "deadline": plan.period_start.isoformat()}
    )
    assert bad.status_code == 400 and "deadline" in bad.context["form"].errors
    outside = client.post(url, {**data, "form_token": "thrice", "region": "500101"})
    assert "region" in outside.context["form"].errors
    assert Target.objects.filter(plan=plan).count() == 1


# --- trajectory -------------------------------------------------------------------------


def test_trajectory_of_a_reported_target(as_persona):
    plan = make_plan(
        title="轨迹规划",
        lead="绵阳市科学技术协会",
        responsible=(),
        start=datetime.date(LAST_YEAR, 1, 1),
        end=datetime.date(LAST_YEAR, 6, 30),
        publish=False,
    )
    task = plan.tasks.get()
    target = make_target(
        plan,
        task=task,
        name="科普人才培训",
        source="reported",
        indicator="",
        baseline_date=datetime.date(LAST_YEAR, 3, 31),
        target_value=91,
    )
    services.publish_plan(plan, actor=None, today=datetime.date(LAST_YEAR, 7, 1))
    q1, q2 = (_report(task, "绵阳市科学技术协会", q) for q in (1, 2))
    _submit(q1, accept=True, figures={target.pk: 10})
    _submit(q2, accept=True, figures={target.pk: 80})
    response = as_persona("province").get(reverse("plans:target_detail", args=[target.pk]))
    chart = response.context["chart_data"]
    year = LAST_YEAR
    assert chart["months"] == [f"{year}-03", f"{year}-04", f"{year}-05", f"{year}-06"]
    assert chart["planned"] == [0, 30, 61, 91]  # 91 days from the baseline to the deadline
    assert chart["actual"] == [10, 10, 10, 80]  # the latest accepted figure at each month end
    standing = response.context["standing"]
    assert (standing.actual, standing.percent, standing.state) == (80, 87, "missed")
    history = [(f["report"].pk, f["figure"].value) for f in response.context["figures"]]
    assert history == [(q1.pk, 10), (q2.pk, 80)]
    assert reverse("plans:report_detail", args=[q2.pk]) in response.content.decode()


# --- the bulletin -----------------------------------------------------------------------


def _sheets(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_bulletin_workbook(as_persona, plan):
    make_target(plan, name="专职科普人员新增", target_value=300)
    response = as_persona("province").get(reverse("plans:bulletin_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert f"plan-bulletin-{plan.pk}-" in response["Content-Disposition"]
    sheets = _sheets(response)
    with translation.override("zh-hans"):
        names = [_("Summary"), _("Targets"), _("Tasks"), _("Units on-time ranking")]
        names += [_("Overdue items")]
        report_overdue, task_overdue = _("Report overdue"), _("Task overdue")
    assert list(sheets) == names
    targets, tasks, ranking, late = (sheets[n] for n in names[1:])
    assert [row[0] for row in targets[1:]] == ["专职科普人员新增"]
    assert targets[1][6:8] == ["≥", 300]  # met when, and the target value: a number
    assert [row[1] for row in tasks[1:]] == ["1", "1.1", "2", "3"]
    assert tasks[1][3:5] == ["四川省教育厅", "四川省科学技术协会"]
    assert tasks[4][7] == 100  # task 3 is done
    assert [row[1] for row in ranking[1:]] == [
        "绵阳市科学技术协会",
        "四川省教育厅",
        "四川科技馆",
        "四川省科学技术协会",
    ]
    assert ranking[1][2:] == [2, 2, 0, 0, 2, 100]
    assert [row[0] for row in late[1:]] == [task_overdue] + [report_overdue] * 3
    assert late[1][5] == 10
    entry = AuditEntry.objects.filter(action="plans.plan.exported").latest("pk")
    assert entry.object_id == str(plan.pk) and entry.actor.username == "demo-province"
    assert entry.detail == {"format": "xlsx", "tasks": 4, "targets": 1, "units": 4}


def test_bulletin_pdf(as_persona, plan):
    response = as_persona("province").get(reverse("plans:bulletin_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="plans.plan.exported").latest("pk")
    assert entry.detail["format"] == "pdf"
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert "仪表盘测试规划" in flat
    assert "四川科技馆" in flat and "绵阳市科学技术协会" in flat
    assert "—1—" in flat  # page numbers


# --- public pages -----------------------------------------------------------------------


def test_public_pages_show_published_plans_only(client, plan):
    draft = make_plan(publish=False, title="尚未发布的规划")
    note = services.add_note(plan.t2, actor=None, text="督查意见：请尽快整改不得拖延")
    assert note.pk
    listing = client.get(reverse("plans:public_plan_list")).content.decode()
    assert "仪表盘测试规划" in listing and "尚未发布的规划" not in listing
    assert client.get(reverse("plans:public_plan_detail", args=[draft.pk])).status_code == 404
    response = client.get(reverse("plans:public_plan_detail", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "建设科普基础设施" in html and "四川科技馆" in html
    assert "按计划推进" not in html  # report text
    assert "请尽快整改" not in html  # supervision note
    assert "/plans/reports/" not in html and "/plans/tasks/" not in html
    ctx = response.context
    assert ctx["task_counts"]["overdue"] == 1 and ctx["overall"].percent == 20


def test_public_list_filters_by_region(client, plan):
    county = make_plan(code="510703", title="涪城区规划", lead="涪城区科学技术协会", responsible=())
    url = reverse("plans:public_plan_list")
    mianyang = [p.title for p in client.get(url, {"region": "5107"}).context["page"]]
    assert mianyang == ["涪城区规划"]
    chengdu = client.get(url, {"region": "5101"}).context["page"]
    assert list(chengdu) == []
    everything = {p.title: p for p in client.get(url).context["page"]}
    assert {"仪表盘测试规划", "涪城区规划"} <= set(everything)
    mine = everything["仪表盘测试规划"]
    overall = mine.overall
    assert (overall.tasks_total, overall.tasks_done, overall.tasks_overdue, overall.percent) == (
        4,
        1,
        1,
        20,
    )
    assert county.pk


def test_public_page_by_region(client):
    _plan, target, _since = _measured_target()
    services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5107"), "target_value": 100},
            {"region": region("5101"), "target_value": 200},
        ],
    )
    response = client.get(reverse("plans:public_plan_detail", args=[target.plan_id]))
    by_region = [row["region"].code for row in response.context["by_region"]]
    assert by_region == ["5101", "5107"]
    assert all(row["total"] == 1 for row in response.context["by_region"])
    chart = response.context["chart_data"]["targets"][str(target.pk)]
    assert chart["names"] == ["绵阳市", "成都市"] and chart["target"] == [100, 200]


# --- query counts -----------------------------------------------------------------------


def _grow(plan, n):
    section = plan.sections.first()
    for i in range(n):
        task = services.create_task(
            plan,
            actor=None,
            section=section,
            number=str(10 + i),
            title=f"追加任务{i}",
            lead_unit=org("四川科技馆"),
            responsible_units=[org("四川省地震学会"), org("四川省教育厅")],
            deadline=TODAY - datetime.timedelta(days=i),
        )
        make_target(plan, name=f"测量指标{i}", target_value=10 + i)
        make_target(
            plan, name=f"上报指标{i}", source="reported", indicator="", task=task, target_value=5
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["province", "member"])
def test_query_counts_do_not_grow(as_persona, persona, django_assert_max_num_queries):
    plan = make_plan(title="查询规划")
    make_target(plan)
    make_target(plan, name="上报", source="reported", indicator="", task=plan.tasks.first())
    client = as_persona(persona)
    pages = [
        reverse("plans:plan_detail", args=[plan.pk]),
        reverse("plans:target_list"),
        reverse("plans:public_plan_detail", args=[plan.pk]),
        reverse("plans:public_plan_list"),
    ]
    for url in pages:  # per-process caches (region tree, roles) filled first
        client.get(url)
    small = [_count(client, url) for url in pages]
    _grow(plan, 8)
    large = [_count(client, url) for url in pages]
    assert large == small  # 8 more tasks with 3 units each and 16 more targets
    for url in pages:
        with django_assert_max_num_queries(25):
            client.get(url)
