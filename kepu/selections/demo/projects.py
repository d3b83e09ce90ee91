"""Demo funded projects (科普专项): a year of about 30 projects of 四川省 and its cities in
every state, replayed through the projects services (the lead's loader chains it after
the calls, so that awarded entries of a funded-project call can become projects with
`projects_from_entries`). Idempotent: a year that already has demo projects is left."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kepu.core import clock
from kepu.core.models import Organization
from kepu.selections import choices as c
from kepu.selections.models import Entry, Project
from kepu.selections.services import projects as services

S = c.ProjectStatus
CHECK_GOOD = {"completion": "27", "budget_use": "18", "targets": "26", "beneficiaries": "17"}
CHECK_POOR = {"completion": "12", "budget_use": "9", "targets": "11", "beneficiaries": "9"}
TOPICS = [
    "青少年科学营", "社区应急科普进万家", "乡村振兴农技科普培训", "科普大篷车巡展",
    "老年人防诈骗科普", "天文科普系列讲座", "大熊猫生态科普展", "防震减灾科普体验",
    "中医药文化科普", "人工智能科普进校园", "川菜营养健康科普", "水资源保护科普行",
    "气象科普小课堂", "科普短视频创作", "非遗与科学工作坊",
]  # fmt: skip
# (state, level, funding mode, milestone overdue) for 30 projects: every state.
PLAN = (
    [(S.APPROVED, "general", "after", False)] * 5
    + [(S.CONTRACTED, "general", "prefunded", False)] * 4
    + [(S.CONTRACTED, "key", "prefunded", True)] * 4
    + [(S.ACCEPTANCE, "general", "after", False)] * 4
    + [(S.ACCEPTED, "general", "after", False)] * 4
    + [(S.ACCEPTED, "key", "prefunded", False)] * 3
    + [(S.FAILED, "general", "after", False)] * 2
    + [(S.TERMINATED, "general", "prefunded", False)] * 2
    + [(S.CONTRACTED, "major", "prefunded", False)] * 2
)
AMOUNTS = {"general": (50_000, 100_000), "key": (150_000, 300_000), "major": (500_000, 800_000)}


def _units():
    """Units of 四川省 and its cities (province and city level), in code order."""
    return list(
        Organization.objects.filter(region__code__startswith="51", region__level__lte=2)
        .select_related("region")
        .order_by("region__code", "pk")[:40]
    )


def _outputs(project, actor):
    from kepu.activities.models import Activity
    from kepu.resources.models import Resource

    activity = Activity.objects.filter(organization_id=project.organization_id).first()
    resource = Resource.objects.filter(organization_id=project.organization_id).first()
    if activity is not None:
        services.add_output(project, actor=actor, activity=activity, audience=400)
    if resource is not None:
        services.add_output(project, actor=actor, resource=resource, audience=1200)
    if activity is None and resource is None:
        services.add_output(project, actor=actor, note="系列科普讲座 6 场", audience=600)


def projects_demo(year: int | None = None, *, actor=None) -> list[Project]:
    """About 30 funded projects of the year in every state: approved; under way with
    milestones (some overdue) and targets; awaiting acceptance; accepted on the rubric
    and paid; failed; terminated. Returns them."""
    today = clock.today()
    year = year or today.year
    if Project.objects.filter(year=year, number__startswith=f"{year}-KP-").exists():
        return list(Project.objects.filter(year=year))
    units = _units()
    if not units:
        return []
    made = []
    for i, (state, level, mode, late) in enumerate(PLAN):
        low, high = AMOUNTS[level]
        amount = Decimal(low + (high - low) * (i % 5) // 4).quantize(Decimal("1000"))
        closed = state in (S.ACCEPTED, S.FAILED)
        starts = today - datetime.timedelta(days=330 if closed else 120)
        ends = (
            today - datetime.timedelta(days=30)
            if closed
            else today + datetime.timedelta(days=20 + 25 * (i % 8))
        )
        org = units[i % len(units)]
        project = services.create_project(
            actor=actor,
            organization=org,
            title=f"{org.region.name}{TOPICS[i % len(TOPICS)]}",
            year=year,
            project_type=(c.ProjectType.ACTIVITY, c.ProjectType.WORK, c.ProjectType.BASE)[i % 3],
            level=level,
            funding_mode=mode,
            approved_amount=amount,
            starts_on=starts,
            ends_on=ends,
            summary="重大科普专项，经专题会议一事一议确定。" if level == "major" else "",
        )
        services.set_budget(
            project,
            actor=actor,
            lines=[
                ("materials", amount * Decimal("0.4"), ""),
                ("meetings", amount * Decimal("0.2"), ""),
                ("labour", amount * Decimal("0.3"), ""),
                ("management", amount * Decimal("0.1"), ""),
            ],
        )
        for kind, indicator, unit, target in (
            (c.TargetKind.OUTPUT, "开展科普活动", "场", 12),
            (c.TargetKind.EFFECT, "受众人数", "人次", 3000),
            (c.TargetKind.SATISFACTION, "受众满意度", "%", 90),
        ):
            services.add_target(
                project, actor=actor, kind=kind, indicator=indicator, unit=unit, target=target
            )
        if state == S.TERMINATED:
            made.append(services.terminate_project(project, actor=actor, reason="承担单位申请终止"))
            continue
        if state == S.APPROVED:
            made.append(project)
            continue
        services.sign_contract(
            project, actor=actor, number=f"SCKP-{year}-{i + 1:03d}", signed_on=starts
        )
        services.add_milestone(
            project,
            actor=actor,
            title="中期进展报告",
            due_on=today - datetime.timedelta(days=10) if late else starts + datetime.timedelta(60),
        )
        if not late:
            services.complete_milestone(
                project.milestones.get(),
                actor=actor,
                done_on=min(today, starts + datetime.timedelta(55)),
            )
        if mode == "prefunded":
            services.record_disbursement(
                project, actor=actor, amount=amount * Decimal("0.5"), paid_on=starts,
                voucher=f"PZ{year}{i + 1:04d}A",
            )  # fmt: skip
        _outputs(project, actor)
        if state == S.CONTRACTED:
            made.append(project)
            continue
        services.report_actuals(
            project,
            actor=actor,
            actuals={t.pk: t.target * Decimal("1.1") for t in project.targets.all()},
        )
        services.submit_for_acceptance(project, actor=actor)
        if state == S.ACCEPTANCE:
            made.append(project)
            continue
        passed = state == S.ACCEPTED
        services.record_check(
            project,
            actor=actor,
            kind=c.CheckKind.ACCEPTANCE,
            values=CHECK_GOOD if passed else CHECK_POOR,
            result=c.CheckResult.PASSED if passed else c.CheckResult.FAILED,
            comment="资料齐全，绩效目标全部完成。" if passed else "未完成主要绩效目标。",
        )
        project.refresh_from_db()
        if passed:
            services.record_disbursement(
                project, actor=actor, amount=project.remaining(), paid_on=today,
                voucher=f"PZ{year}{i + 1:04d}B",
            )  # fmt: skip
        made.append(project)
    for project in made:
        project.refresh_from_db()  # the services saved locked copies
    return made


def projects_from_entries(call, *, actor=None) -> list[Project]:
    """A project for each awarded entry of a decided funded-project call (the results
    slice's `decide_call` leaves them awarded)."""
    today = clock.today()
    made = []
    for entry in Entry.objects.filter(
        call=call, status=c.EntryStatus.AWARDED, project__isnull=True
    ):
        made.append(
            services.create_project(
                actor=actor,
                entry=entry,
                project_type=c.ProjectType.ACTIVITY,
                level=c.ProjectLevel.GENERAL,
                funding_mode=c.FundingMode.AFTER,
                starts_on=today,
                ends_on=today + datetime.timedelta(days=300),
            )
        )
    return made
