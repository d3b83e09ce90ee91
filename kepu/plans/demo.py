"""Demo plans: the two real plans of the seeds and this year's provincial work plan.

- The Sichuan talent plan (seed 000, 2023-12-20): its four numeric targets measured live
  from the people registry, decomposed to the cities and prefectures.
- The Qingyuan literacy action plan (seed 001): its division-of-work table built from the
  annex text itself (`data/qingyuan_001_annex.txt`), and its targets, reported with
  evidence by the responsible units.
- The Tianjin implementation opinions (seed 004, `demo_tianjin`): 25 tasks and the two
  literacy targets "above 23% by 2025" and "above 30% by 2035".
- The province's work plan for the current year, with quarterly reports in every state
  (the one the back-office journeys act on); one of its targets is decomposed to four
  pilot districts (锦江区 among them), so it applies to demo-county-a as well as to the
  cities (`kepu.plans.scope_rules`).

The plans are made through the services by their region's officer (demo-province,
demo-qingyuan), at their date of issue (`kepu.core.clock.frozen`). The current year's
reports are submitted (by demo-member for 四川省教育厅) and accepted (by demo-province)
through the services too, each at its own moment. The reports of the two older plans'
past periods are still written in bulk with their final state (submitted on time or late,
accepted, returned, still owed), with their history and audit entries marked "via demo":
a thousand reports through the services would slow every demo load several-fold; the
plan invariants (`kepu.plans.invariants`) check that these rows are states the services
could have produced.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kepu.core import audit, clock
from kepu.core import services as core_services
from kepu.core.choices import OrgType, RegionLevel, Role
from kepu.core.demo import demo_credit_code
from kepu.core.models import Organization, Region, RoleAssignment, User
from kepu.plans import choices as c
from kepu.plans import services
from kepu.plans.demo_tianjin import tianjin_plan
from kepu.plans.models import Plan, ProgressReport, Task

ANNEX = Path(__file__).parent / "data" / "qingyuan_001_annex.txt"
ANNEX_SECTIONS = {"提升行动": ("三", "提升行动"), "重点工程": ("四", "重点工程")}
# The seed's text extraction dropped the first character of row 9; the plan's body text
# (四(四)) names the same project "实施科技资源科普化工程".
ANNEX_CORRECTIONS = {"施科技资源科普化工程。": "实施科技资源科普化工程。"}

QINGYUAN = "4418"
QINGYUAN_ACCOUNT = ("demo-qingyuan", "清远市科协 黄伟")


def parse_annex(text: str) -> list[dict]:
    """The rows of the 工作分工表: number, section (提升行动/重点工程, carried down to the
    rows below it), task, lead unit, responsible units (in the order listed)."""
    lines = [
        line.strip().replace("\xa0", "")
        for line in text.splitlines()
        if not line.startswith("#") and line.strip().replace("\xa0", "")
    ]
    lines = lines[lines.index("责任单位") + 1 :]
    rows, section, i = [], None, 0
    while i < len(lines) and lines[i].isdigit():
        number = lines[i]
        i += 1
        if lines[i] in ANNEX_SECTIONS:
            section = lines[i]
            i += 1
        title, lead, responsible = lines[i], lines[i + 1], lines[i + 2]
        i += 3
        rows.append(
            {
                "number": number,
                "section": section,
                "title": title,
                "lead": lead,
                "responsible": responsible.split("、"),
            }
        )
    return rows


def qingyuan_unit_name(short: str) -> str:
    """The full name of a Qingyuan unit as the annex abbreviates it (市教育局 → 清远市教育局)."""
    if short == "团市委":
        return "共青团清远市委员会"
    return f"清远{short}"


def _qingyuan_units(rows) -> dict[str, Organization]:
    region = Region.objects.get(code=QINGYUAN)
    shorts = []
    for row in rows:
        for short in [row["lead"], *row["responsible"]]:
            if short not in shorts:
                shorts.append(short)
    existing = {o.short_name: o for o in Organization.objects.filter(region=region)}
    new = []
    for short in shorts:
        if short in existing:
            continue
        name = qingyuan_unit_name(short)
        org_type = {"市科协": OrgType.SCIENCE_ASSOCIATION, "市科技局": OrgType.SCIENCE_BUREAU}.get(
            short, OrgType.MEMBER_DEPARTMENT
        )
        new.append(
            Organization(
                name=name,
                short_name=short,
                org_type=org_type,
                region=region,
                credit_code=demo_credit_code(name, QINGYUAN, org_type),
                address=region.full_name,
            )
        )
    Organization.objects.bulk_create(new)
    audit.bulk_record("core.organization.created", new, detail={"via": "demo"})
    return {o.short_name: o for o in Organization.objects.filter(region=region)}


def _qingyuan_account(units):
    username, full_name = QINGYUAN_ACCOUNT
    user = User.objects.filter(username=username).first()
    if user is None:
        user = core_services.create_user(
            actor=None,
            username=username,
            full_name=full_name,
            password=settings.DEMO_PASSWORD,
            must_change_password=False,
        )
    region = Region.objects.get(code=QINGYUAN)
    if not RoleAssignment.objects.filter(user=user, role=Role.REGIONAL_OFFICER).exists():
        core_services.assign_role(user, actor=None, role=Role.REGIONAL_OFFICER, region=region)
    return user


def _user(username):
    """A demo account (None when the core demo has not made it: the system acts)."""
    return User.objects.filter(username=username).first()


def _moment(day: datetime.date, hour: int = 9, minute: int = 30) -> datetime.datetime:
    """That day at that time, never later than now (the services run at past moments)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return min(moment, clock.now())


def _org(name):
    return Organization.objects.get(name=name, region__code="51")


def _split(total: int, weights: dict) -> dict:
    """`total` shared out by weight, rounded so that the parts add up exactly (largest
    remainder)."""
    whole = sum(weights.values()) or 1
    raw = {k: total * w / whole for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    short = total - sum(parts.values())
    for k in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[:short]:
        parts[k] += 1
    return parts


def _cities():
    return list(
        Region.objects.filter(parent__code="51", level=RegionLevel.PREFECTURE).order_by("code")
    )


def _decompose_by_population(target, total: int, *, actor):
    cities = _cities()
    weights = {r.pk: (r.population or 1) for r in cities}
    shares = _split(total, weights)
    services.decompose_target(
        target,
        actor=actor,
        parts=[{"region": r, "target_value": shares[r.pk]} for r in cities],
    )


# --- report history ---------------------------------------------------------------------

PROGRESS_TEXTS = [
    "按照分工要求制定了年度工作方案，明确责任处室和联系人，各项工作有序推进。",
    "组织开展专题培训和主题活动，覆盖重点人群，工作台账和佐证材料已整理归档。",
    "联合相关单位开展调研督导，针对薄弱环节提出改进措施，正在跟踪落实。",
    "完成阶段性任务，相关数据已报送市科协汇总，下一步将加大宣传推广力度。",
]


def _fill_history(plan: Plan, rng: random.Random, today: datetime.date, figures=None):
    """Give every report of the plan whose due date has passed a final state, through the
    services at their moments: mostly submitted and accepted (some late), a few returned
    or still owed. `figures` maps a target to a function (report) -> value for the reports
    that carry it."""
    figures = figures or {}
    reports = list(
        ProgressReport.objects.filter(task__plan=plan, due_date__lt=today)
        .select_related("task")
        .order_by("period_start", "task__position", "organization_id")
    )
    period_starts = sorted({r.period_start for r in reports})
    officer = plan.created_by  # the officer who issued the plan reviews its reports
    for report in reports:
        step = period_starts.index(report.period_start) + 1
        roll = rng.random()
        if roll < 0.05:
            continue  # still owed: overdue
        late = roll > 0.85
        submitted = report.due_date + datetime.timedelta(
            days=rng.randint(1, 12) if late else -rng.randint(0, 8)
        )
        submitted_at = timezone.make_aware(
            datetime.datetime.combine(submitted, datetime.time(10, rng.randint(0, 59)))
        )
        text = rng.choice(PROGRESS_TEXTS)
        progress = round(step * 100 / len(period_starts)) + rng.randint(-5, 3)
        reviewed = submitted_at + datetime.timedelta(days=rng.randint(1, 6))
        values = {}
        covered = {t.pk for t in services.reportable_targets(report)} if figures else set()
        for target, value_of in figures.items():
            value = value_of(report)
            if value is not None and target.pk in covered:
                values[target.pk] = value
        with clock.frozen(submitted_at):
            services.submit_report(
                report,
                actor=None,  # the unit's staff have no demo accounts (demo-member's do)
                text=text,
                progress=max(0, min(100, progress)),
                figures=values,
            )
        with clock.frozen(min(reviewed, clock.now())):
            if roll < 0.08:
                services.return_report(
                    report, actor=officer, reason="佐证材料不完整，请补充活动照片和签到表。"
                )
            else:
                services.accept_report(report, actor=officer)
    _progress_from_reports(plan, today)


def _progress_from_reports(plan: Plan, today):
    """Each task's progress: its lead unit's latest accepted report."""
    tasks = list(plan.tasks.prefetch_related("units"))
    for task in tasks:
        lead = next((u.organization_id for u in task.units.all() if u.is_lead), None)
        latest = (
            ProgressReport.objects.filter(
                task=task, organization_id=lead, status=c.ReportStatus.ACCEPTED
            )
            .order_by("-period_start")
            .values_list("progress", flat=True)
            .first()
        )
        if latest is None:
            continue
        task.progress = latest
        if latest >= 100:
            task.status, task.completed_on = c.TaskStatus.DONE, task.deadline or today
        elif latest > 0:
            task.status = c.TaskStatus.IN_PROGRESS
    Task.objects.bulk_update(tasks, ["progress", "status", "completed_on"])


# --- the plans --------------------------------------------------------------------------


SICHUAN_ACTIONS = [
    ("1", "实施科普人才“价值引领”行动", ["四川省科学技术协会", "四川省教育厅"]),
    (
        "2",
        "实施科普人才“培育壮大”行动",
        ["四川省教育厅", "四川省科学技术协会", "共青团四川省委员会"],
    ),
    ("3", "实施科普人才“充电蓄能”行动", ["四川省科学技术协会", "四川省教育厅"]),
    ("4", "实施科普人才“平台助力”行动", ["四川省科学技术协会"]),
    ("5", "实施科普人才“成长激励”行动", ["四川省教育厅", "四川省科学技术协会"]),
    ("6", "实施科普人才“服务提升”行动", ["四川省科学技术协会"]),
]

SICHUAN_TARGETS = [
    ("专职科普人员新增", "people.fulltime_added", 300, True),
    ("兼职科普人员新增", "people.parttime_added", 5000, True),
    ("科普志愿者新增", "people.volunteers_added", 1000, True),
    ("评选天府科普使者", "people.tianfu_envoys", 1000, False),
]


def _sichuan_talent_plan(rng, today):
    with clock.frozen(_moment(datetime.date(2023, 12, 20))):
        plan = _sichuan_talent_plan_issued(today)
    _fill_history(plan, rng, today)
    return plan


def _sichuan_talent_plan_issued(today):
    officer = _user("demo-province")
    plan = services.create_plan(
        actor=officer,
        title="关于加强高水平科普人才队伍建设的实施方案（2023—2025年）",
        short_title="四川省高水平科普人才队伍建设实施方案",
        issuer="四川省科学技术厅",
        issued_on=datetime.date(2023, 12, 20),
        region=Region.objects.get(code="51"),
        period_start=datetime.date(2023, 12, 20),
        period_end=datetime.date(2025, 12, 31),
        baseline_date=datetime.date(2023, 12, 20),
        reports_from=datetime.date(2024, 1, 1),
        summary=(
            "到2025年末，专职人员新增300人以上，兼职人员新增5000人以上，科普志愿者新增"
            "1000人以上，评选天府科普使者1000名以上。目标任务分解至各地区、各部门，建立"
            "动态监测与定期评估机制。"
        ),
    )
    section = services.add_section(plan, actor=officer, number="二", title="重点任务")
    lead = _org("四川省科学技术厅")
    for number, title, responsible in SICHUAN_ACTIONS:
        services.create_task(
            plan,
            actor=officer,
            section=section,
            number=number,
            title=title,
            lead_unit=lead,
            responsible_units=[_org(n) for n in responsible],
            deadline=datetime.date(2025, 12, 31),
        )
    for name, code, value, decompose in SICHUAN_TARGETS:
        target = services.create_target(
            plan,
            actor=officer,
            name=name,
            unit="人",
            region=plan.region,
            source=c.TargetSource.MEASURED,
            indicator=code,
            baseline_date=datetime.date(2023, 12, 20),
            baseline_value=0,
            target_value=value,
            deadline=datetime.date(2025, 12, 31),
            task=plan.tasks.get(number="2"),
        )
        if decompose:
            _decompose_by_population(target, value, actor=officer)
    services.publish_plan(plan, actor=officer, today=today)
    return plan


def _qingyuan_plan(rng, today):
    rows = parse_annex(ANNEX.read_text(encoding="utf-8"))
    units = _qingyuan_units(rows)
    officer = _qingyuan_account(units)
    region = Region.objects.get(code=QINGYUAN)
    with clock.frozen(_moment(datetime.date(2022, 6, 30))):
        plan = services.create_plan(
            actor=officer,
            title="清远市全民科学素质行动规划纲要实施方案（2021—2025年）",
            short_title="清远市全民科学素质行动实施方案",
            issuer="清远市人民政府",
            issued_on=datetime.date(2022, 6, 30),
            region=region,
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            baseline_date=datetime.date(2020, 12, 31),
            reports_from=datetime.date(2022, 7, 1),
            summary=(
                "到2025年，清远市公民具备科学素质的比例超过16%。实施五项提升行动和五项重点工程，"
                "各有关部门按照工作分工表落实任务。"
            ),
        )
        sections = {
            key: services.add_section(plan, actor=officer, number=number, title=title)
            for key, (number, title) in ANNEX_SECTIONS.items()
        }
        tasks = {}
        for row in rows:
            tasks[row["number"]] = services.create_task(
                plan,
                actor=officer,
                section=sections[row["section"]],
                number=row["number"],
                title=ANNEX_CORRECTIONS.get(row["title"], row["title"]),
                lead_unit=units[row["lead"]],
                responsible_units=[units[u] for u in row["responsible"]],
                deadline=datetime.date(2025, 12, 31),
                position=int(row["number"]),
            )

        def reported(
            name, unit, baseline_date, baseline, value, deadline, task, additive=True, **more
        ):
            return services.create_target(
                plan,
                actor=officer,
                name=name,
                unit=unit,
                region=region,
                source=c.TargetSource.REPORTED,
                baseline_date=baseline_date,
                baseline_value=baseline,
                target_value=value,
                deadline=deadline,
                task=task,
                additive=additive,
                **more,
            )

        end = datetime.date(2025, 12, 31)
        literacy = reported(
            "公民具备科学素质的比例",
            "%",
            datetime.date(2020, 12, 31),
            Decimal("9.8"),
            16,
            end,
            tasks["7"],
            additive=False,
            comparison=c.Comparison.ABOVE,  # "超过16%": met only above 16
        )

        def measured(name, indicator, baseline, value):
            # Counted from the base registry (kepu.bases: Qingyuan's bases in its demo).
            return services.create_target(
                plan,
                actor=officer,
                name=name,
                unit="个",
                region=region,
                source=c.TargetSource.MEASURED,
                indicator=indicator,
                baseline_date=datetime.date(2021, 12, 31),
                baseline_value=baseline,
                target_value=value,
                deadline=end,
                task=tasks["6"],
            )

        measured("国家级科普教育基地", "bases.national", 0, 1)
        measured("省级科普教育基地", "bases.provincial", 31, 50)
        town = reported("科普小镇", "个", datetime.date(2021, 12, 31), 0, 1, end, tasks["6"])
        tutors = {
            year: reported(
                f"{year}年培训科技辅导员",
                "人",
                datetime.date(year - 1, 12, 31),
                0,
                200,
                datetime.date(year, 12, 31),
                tasks["1"],
            )
            for year in (2022, 2023, 2024)
        }
        # Seed 001 三(一)6, from the year the platform runs: 2025's science tutors counted
        # live from the training completions (kepu.people training; its demo trains them).
        services.create_target(
            plan,
            actor=officer,
            name="2025年培训科技辅导员",
            unit="人",
            region=region,
            source=c.TargetSource.MEASURED,
            indicator="people.science_tutors_trained",
            baseline_date=datetime.date(2024, 12, 31),
            baseline_value=0,
            target_value=200,
            deadline=datetime.date(2025, 12, 31),
            task=tasks["1"],
        )
        services.publish_plan(plan, actor=officer, today=today)
    kx, edu = units["市科协"], units["市教育局"]
    literacy_by_year = {
        2022: Decimal("11.6"),
        2023: Decimal("13.2"),
        2024: Decimal("14.9"),
        2025: Decimal("16.4"),
    }

    def yearly(report, values, unit):
        if report.organization_id != unit.pk or report.period_end.month != 12:
            return None
        return values.get(report.period_end.year)

    figures = {
        literacy: lambda r: yearly(r, literacy_by_year, kx),
        town: lambda r: yearly(r, {2025: 1}, kx),
    }
    for year, target in tutors.items():
        figures[target] = lambda r, year=year: (
            Decimal(rng.randint(40, 60) * r.period_end.month // 3)
            if r.organization_id == edu.pk and r.period_end.year == year
            else None
        )
    _fill_history(plan, rng, today, figures)
    return plan


ANNUAL_TASKS = [
    ("1", "青少年科学素质提升", "四川省教育厅", ["四川省科学技术协会", "共青团四川省委员会"]),
    ("2", "农民科学素质提升", "四川省农业农村厅", ["四川省科学技术协会", "四川省妇女联合会"]),
    ("3", "产业工人科学素质提升", "四川省总工会", ["四川省科学技术协会"]),
    ("4", "老年人科学素质提升", "四川省卫生健康委员会", ["四川省科学技术协会"]),
    ("5", "应急科普能力建设", "四川省应急管理厅", ["四川省地震局", "四川省科学技术协会"]),
    ("6", "科技志愿服务“群众点单”", "四川省科学技术协会", ["四川省教育厅", "共青团四川省委员会"]),
]

# The annual plan's pilot districts (a target decomposed to them, not to 涪城区).
PILOT_DISTRICTS = [("510104", 6), ("510107", 5), ("510603", 5), ("511302", 4)]


def _annual_plan(rng, today):
    year = today.year
    officer, member = _user("demo-province"), _user("demo-member")
    with clock.frozen(_moment(min(datetime.date(year, 2, 20), today))):
        plan = services.create_plan(
            actor=officer,
            title=f"{year}年全省科普工作要点",
            short_title=f"{year}年全省科普工作要点",
            issuer="四川省科普工作联席会议办公室",
            issued_on=datetime.date(year, 2, 20),
            region=Region.objects.get(code="51"),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            summary="将年度目标任务分解到各成员单位和市（州），按季度报送进展，年底开展督查评估。",
        )
        section = services.add_section(plan, actor=officer, number="一", title="年度重点任务")
        tasks = {}
        for number, title, lead, responsible in ANNUAL_TASKS:
            tasks[number] = services.create_task(
                plan,
                actor=officer,
                section=section,
                number=number,
                title=title,
                lead_unit=_org(lead),
                responsible_units=[_org(n) for n in responsible],
                deadline=datetime.date(year, 12, 31),
            )
        baseline = datetime.date(year - 1, 12, 31)
        end = datetime.date(year, 12, 31)
        volunteers = services.create_target(
            plan,
            actor=officer,
            name="新增注册科技志愿者",
            unit="人",
            region=plan.region,
            source=c.TargetSource.MEASURED,
            indicator="people.volunteers_added",
            baseline_date=baseline,
            target_value=600,
            deadline=end,
            task=tasks["6"],
        )
        _decompose_by_population(volunteers, 600, actor=officer)
        services.create_target(
            plan,
            actor=officer,
            name="开展科普活动",
            unit="场",
            region=plan.region,
            source=c.TargetSource.MEASURED,
            indicator="activities.published",
            baseline_date=baseline,
            target_value=1200,
            deadline=end,
            task=tasks["1"],
        )
        services.create_target(
            plan,
            actor=officer,
            name="办结志愿服务订单",
            unit="单",
            region=plan.region,
            source=c.TargetSource.MEASURED,
            indicator="volunteering.orders_served",
            baseline_date=baseline,
            target_value=300,
            deadline=end,
            task=tasks["6"],
        )
        # Pilot districts with targets of their own: the plan applies to them, so their
        # officers (demo-county-a for 锦江区) see it in the back office, read-only.
        pilots = services.create_target(
            plan,
            actor=officer,
            name="试点县（区）创建社区科普示范点",
            unit="个",
            region=plan.region,
            # Reported (by the districts at the year's review), not measured: a measured
            # province target would count the whole province against the pilots' sum.
            source=c.TargetSource.REPORTED,
            baseline_date=baseline,
            target_value=20,
            deadline=end,
            task=tasks["1"],
        )
        services.decompose_target(
            pilots,
            actor=officer,
            parts=[
                {"region": Region.objects.get(code=code), "target_value": value}
                for code, value in PILOT_DISTRICTS
            ],
        )
        tutors = services.create_target(
            plan,
            actor=officer,
            name="培训科技辅导员",
            unit="人",
            region=plan.region,
            source=c.TargetSource.REPORTED,
            baseline_date=baseline,
            target_value=500,
            deadline=end,
            task=tasks["1"],
        )
        services.publish_plan(plan, actor=officer, today=today)
    edu = _org("四川省教育厅")
    # Past quarters through the services: submitted (mostly on time) and accepted; the
    # education department's last closed quarter on its own task is left owed (overdue).
    reports = list(
        ProgressReport.objects.filter(task__plan=plan, due_date__lt=today)
        .select_related("task", "organization")
        .order_by("period_start", "task__position")
    )
    last = max((r.period_start for r in reports), default=None)
    for report in reports:
        if (
            report.period_start == last
            and report.organization_id == edu.pk
            and report.task == tasks["1"]
        ):
            continue
        if report.period_start == last and rng.random() < 0.2:
            continue  # owed
        on_time = rng.random() < 0.85
        day = (
            report.due_date - datetime.timedelta(days=rng.randint(0, 4))
            if on_time
            else (report.due_date + datetime.timedelta(days=rng.randint(1, 10)))
        )
        submitted = _moment(day)
        figures = {}
        if report.task == tasks["1"] and report.organization_id == edu.pk:
            figures[tutors.pk] = Decimal(report.period_end.month * 40)
        with clock.frozen(submitted):
            services.submit_report(
                report,
                actor=member if report.organization_id == edu.pk else None,
                text=rng.choice(PROGRESS_TEXTS),
                progress=min(100, report.period_end.month * 8),
                figures=figures,
            )
        if report.period_start == last and rng.random() < 0.4:
            continue  # awaiting review
        with clock.frozen(min(submitted + datetime.timedelta(days=2), clock.now())):
            services.accept_report(report, actor=officer)
    return plan


def load_demo(size: int = 3000, seed: int = 2026) -> dict:
    """Idempotent: does nothing when the demo plans exist."""
    if Plan.objects.filter(issuer="四川省科学技术厅").exists():
        return {"plans": 0}
    rng = random.Random(seed)
    today = clock.today()
    with transaction.atomic():
        plans = [
            _sichuan_talent_plan(rng, today),
            _qingyuan_plan(rng, today),
            _annual_plan(rng, today),
            tianjin_plan(rng, today, moment=_moment, fill_history=_fill_history),
        ]
        notes_task = plans[2].tasks.get(number="1")
        services.add_note(
            notes_task,
            actor=_user("demo-province"),
            text="上一季度进展报告逾期未报，请于五个工作日内补报，并说明科技辅导员培训进度。",
            organization=_org("四川省教育厅"),
            rectify_by=services.report_due(plans[2], today),
        )
        from kepu.plans.demo_meetings import load_meeting_demo

        load_meeting_demo(today)
    from kepu.plans.demo_assessment import load_assessment_demo

    return {
        "plans": len(plans),
        "reports": ProgressReport.objects.filter(task__plan__in=plans).count(),
        **load_assessment_demo(seed),
    }
