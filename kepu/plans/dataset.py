"""Plans at benchmark scale (see `kepu.core.dataset`): every city and a quarter of the
counties of the province (a share of them at the smaller scales, always 成都市 and 锦江区)
have this year's science-popularization work plan, made through the services as its officer would:
four tasks, each led by a unit of the region with one responsible unit beside it, three
targets measured live from the registries (volunteers added, activities published,
orders served) and one reported by the units, published in February so that the
quarterly reports open. The reports of the quarters past their due date are submitted
(most on time) and most of them accepted; the latest quarter's are partly still owed.

Through the services (not bulk rows) because the plans are few (67 at province scale)
and their reports' states are exactly what the services produce.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from kepu.core import clock
from kepu.core.choices import OrgType
from kepu.core.dataset import Dataset
from kepu.core.models import Organization
from kepu.plans import choices as c
from kepu.plans import services
from kepu.plans.demo import PROGRESS_TEXTS
from kepu.plans.models import ProgressReport

TASKS = [
    ("1", "青少年科学素质提升行动"),
    ("2", "农民科学素质提升行动"),
    ("3", "老年人科学素质提升行动"),
    ("4", "科技志愿服务“群众点单”"),
]
MEASURED = [
    ("新增注册科技志愿者", "人", "people.volunteers_added", 3, "4"),
    ("开展科普活动", "场", "activities.published", 12, "1"),
    ("办结志愿服务订单", "单", "volunteering.orders_served", 5, "4"),
]
PERSONA_REGIONS = ("5101", "510104")


COUNTY_SHARE = 0.25  # of the counties, at province scale: every city has its plan


def _regions(ds: Dataset):
    """Every city and a quarter of the counties at province scale (each plan is some
    fifty service calls), fewer at the smaller scales; always the personas' regions."""
    chosen = [r for r in ds.cities + ds.counties if r.code in PERSONA_REGIONS]
    cities = [r for r in ds.cities if r.code not in PERSONA_REGIONS]
    counties = [r for r in ds.counties if r.code not in PERSONA_REGIONS]
    chosen += ds.rng.sample(cities, min(len(cities), round(len(cities) * ds.factor)))
    n = round(len(counties) * ds.factor * COUNTY_SHARE)
    chosen += ds.rng.sample(counties, min(len(counties), n))
    return sorted(chosen, key=lambda r: r.code)


def _units(ds: Dataset, region) -> list[Organization]:
    """Two or more units of the region: its science association first when it has one."""
    inside = Organization.objects.filter(
        Q(region=region) | Q(region__parent=region), is_active=True
    ).order_by("pk")
    association = inside.filter(org_type=OrgType.SCIENCE_ASSOCIATION).first()
    pool = list(inside.exclude(org_type=OrgType.SCIENCE_ASSOCIATION)[:40])
    ds.rng.shuffle(pool)
    units = ([association] if association else []) + pool
    return units[:5]


def _plan(ds: Dataset, region, today: datetime.date) -> int:
    units = _units(ds, region)
    if len(units) < 2:
        return 0
    year = today.year
    issued = min(datetime.date(year, 2, 20), today)
    size = 1 if region.level == 3 else 4  # a county's figures are smaller than a city's
    with clock.frozen(timezone.make_aware(datetime.datetime.combine(issued, datetime.time(9, 30)))):
        plan = services.create_plan(
            actor=None,
            title=f"{region.name}{year}年科普工作要点",
            short_title=f"{year}年科普工作要点",
            issuer=f"{region.name}科普工作联席会议办公室",
            issued_on=issued,
            region=region,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            summary="将年度目标任务分解到各成员单位，按季度报送进展，年底开展督查评估。",
        )
        section = services.add_section(plan, actor=None, number="一", title="年度重点任务")
        tasks = {}
        for i, (number, title) in enumerate(TASKS):
            lead = units[i % len(units)]
            other = units[(i + 1) % len(units)]
            tasks[number] = services.create_task(
                plan,
                actor=None,
                section=section,
                number=number,
                title=title,
                lead_unit=lead,
                responsible_units=[other] if other != lead else [],
                deadline=datetime.date(year, 12, 31),
            )
        baseline, end = datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)
        for name, unit, indicator, per, task in MEASURED:
            services.create_target(
                plan,
                actor=None,
                name=name,
                unit=unit,
                region=region,
                source=c.TargetSource.MEASURED,
                indicator=indicator,
                baseline_date=baseline,
                target_value=per * size * 10,
                deadline=end,
                task=tasks[task],
            )
        trained = services.create_target(
            plan,
            actor=None,
            name="培训科技辅导员",
            unit="人",
            region=region,
            source=c.TargetSource.REPORTED,
            baseline_date=baseline,
            target_value=50 * size,
            deadline=end,
            task=tasks["1"],
        )
        services.publish_plan(plan, actor=None, today=today)
    reports = list(
        ProgressReport.objects.filter(task__plan=plan, due_date__lt=today)
        .select_related("task")
        .order_by("period_start", "task__position", "pk")
    )
    last = max((r.period_start for r in reports), default=None)
    for report in reports:
        if report.period_start == last and ds.rng.random() < 0.25:
            continue  # still owed
        on_time = ds.rng.random() < 0.85
        day = (
            report.due_date - datetime.timedelta(days=ds.rng.randint(0, 4))
            if on_time
            else report.due_date + datetime.timedelta(days=ds.rng.randint(1, 10))
        )
        submitted = timezone.make_aware(
            datetime.datetime.combine(min(day, today), datetime.time(ds.rng.randint(8, 17), 30))
        )
        figures = {}
        if report.task_id == tasks["1"].pk:
            figures[trained.pk] = Decimal(report.period_end.month * 4 * size)
        with clock.frozen(submitted):
            services.submit_report(
                report,
                actor=None,
                text=ds.rng.choice(PROGRESS_TEXTS),
                progress=min(100, report.period_end.month * 8),
                figures=figures,
            )
        if report.period_start == last and ds.rng.random() < 0.4:
            continue  # awaiting review
        with clock.frozen(min(submitted + datetime.timedelta(days=2), clock.now())):
            services.accept_report(report, actor=None)
    return 1


def _plans(ds: Dataset) -> int:
    today = ds.today
    return sum(_plan(ds, region, today) for region in _regions(ds))


def generate(ds: Dataset) -> None:
    ds.step("plans (through the services)", lambda: _plans(ds))
    ds.step("joint conferences and meetings", lambda: _conferences(ds))
    from kepu.plans import dataset_assessment

    ds.step("assessments of regions and units", lambda: dataset_assessment.generate(ds))


# --- joint conferences (issue 26) -------------------------------------------------------------

MEETINGS_PER_YEAR = 4
MEETING_YEARS = 5


def _conferences(ds: Dataset) -> int:
    """A joint conference in the province, every city and every county, with its member
    units (the region's own, up to eight), four meetings a year for five years and three
    decisions each (bulk rows: their tasks are the plans' own, above)."""
    from kepu.plans.models import (
        ConferenceMember,
        JointConference,
        Meeting,
        MeetingAttendance,
        MeetingDecision,
    )

    regions = [ds.province, *ds.cities, *ds.counties]
    units: dict[int, list[int]] = {}
    for pk, region in Organization.objects.filter(
        region__path__startswith=f"{ds.province.code}/"
    ).values_list("pk", "region_id"):
        units.setdefault(region, []).append(pk)
    conf_ids = ds.ids(JointConference, len(regions))
    member_ids = iter(ds.ids(ConferenceMember, len(regions) * 8))
    per_conf = MEETINGS_PER_YEAR * MEETING_YEARS
    meeting_ids = iter(ds.ids(Meeting, len(regions) * per_conf))
    attend_ids = iter(ds.ids(MeetingAttendance, len(regions) * per_conf * 8))
    decision_ids = iter(ds.ids(MeetingDecision, len(regions) * per_conf * 3))
    confs, members, meetings, attendance, decisions = [], [], [], [], []
    first_year = ds.today.year - MEETING_YEARS + 1
    for pk, region in zip(conf_ids, regions, strict=True):
        own = sorted(units.get(region.pk, []))[:8]
        confs.append(
            {
                "id": pk,
                "name": f"{region.name}科普工作联席会议",
                "region_id": region.pk,
                "office": f"{region.name}科学技术协会",
                "meeting_count": per_conf,
                "created_at": ds.moment(2000),
            }
        )
        for i, unit in enumerate(own):
            members.append(
                {
                    "id": next(member_ids),
                    "conference_id": pk,
                    "organization_id": unit,
                    "position": i,
                }
            )
        for n in range(per_conf):
            meeting = next(meeting_ids)
            year, quarter = first_year + n // MEETINGS_PER_YEAR, n % MEETINGS_PER_YEAR
            day = datetime.date(year, quarter * 3 + 1, ds.rng.randint(5, 25))
            meetings.append(
                {
                    "id": meeting,
                    "conference_id": pk,
                    "number": n + 1,
                    "title": f"{year}年第{quarter + 1}次会议",
                    "date": day,
                    "place": f"{region.name}科协会议室",
                    "topics": "通报工作进展\n研究部署下一阶段任务",
                    "created_at": ds.moment(2000),
                }
            )
            for unit in own:
                if ds.rng.random() < 0.85:
                    attendance.append(
                        {"id": next(attend_ids), "meeting_id": meeting, "organization_id": unit}
                    )
            for k in range(3):
                decisions.append(
                    {
                        "id": next(decision_ids),
                        "meeting_id": meeting,
                        "number": k + 1,
                        "text": f"第{k + 1}项：各成员单位按职责抓好落实。",
                        "created_at": ds.moment(2000),
                    }
                )
    return (
        ds.insert(JointConference, confs)
        + ds.insert(ConferenceMember, members)
        + ds.insert(Meeting, meetings)
        + ds.insert(MeetingAttendance, attendance)
        + ds.insert(MeetingDecision, decisions)
    )
