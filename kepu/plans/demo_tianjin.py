"""The Tianjin implementation opinions (seed 004, 2023-05-31) as a demo plan: its sections
and 25 numbered items as tasks (`data/tianjin_004_items.txt`), and its two literacy
targets, "above 23% by 2025" and "above 30% by 2035" (004 一(三)), both strictly above.

The document names no lead units: every task is led by the office of the city's joint
conference (市科普工作联席会议办公室, kept by 天津市科学技术局), with 天津市科学技术协会
responsible beside it. The baseline is Tianjin's 2020 rate, 16.58% (the 11th national
survey, reference domain.md §4); no later Tianjin figure is bundled, so the targets show
"no data yet" until a unit reports one.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from kepu.core import audit, clock
from kepu.core import services as core_services
from kepu.core.choices import OrgType, Role
from kepu.core.demo import demo_credit_code
from kepu.core.models import Organization, Region, RoleAssignment, User
from kepu.plans import choices as c
from kepu.plans import services
from kepu.plans.models import Plan

ITEMS = Path(__file__).parent / "data" / "tianjin_004_items.txt"
TIANJIN = "12"
ACCOUNT = ("demo-tianjin", "天津市科技局 王磊")
UNITS = [
    ("天津市科学技术局", "市科技局", OrgType.SCIENCE_BUREAU),
    ("天津市科学技术协会", "市科协", OrgType.SCIENCE_ASSOCIATION),
]
ISSUED = datetime.date(2023, 5, 31)
BASELINE = datetime.date(2020, 12, 31)


def parse_items(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(section number, section title, [(item number, item title)])] in document order."""
    sections = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, title = line.split("\t")
        if number.isdigit():
            sections[-1][2].append((number, title))
        else:
            sections.append((number, title, []))
    return sections


def _units() -> dict[str, Organization]:
    region = Region.objects.get(code=TIANJIN)
    found = {o.name: o for o in Organization.objects.filter(region=region)}
    new = [
        Organization(
            name=name,
            short_name=short,
            org_type=org_type,
            region=region,
            credit_code=demo_credit_code(name, TIANJIN, org_type),
            address=region.full_name,
        )
        for name, short, org_type in UNITS
        if name not in found
    ]
    Organization.objects.bulk_create(new)
    audit.bulk_record("core.organization.created", new, detail={"via": "demo"})
    return {o.short_name: o for o in Organization.objects.filter(region=region)}


def _account() -> User:
    username, full_name = ACCOUNT
    user = User.objects.filter(username=username).first()
    if user is None:
        user = core_services.create_user(
            actor=None,
            username=username,
            full_name=full_name,
            password=settings.DEMO_PASSWORD,
            must_change_password=False,
        )
    if not RoleAssignment.objects.filter(user=user, role=Role.REGIONAL_OFFICER).exists():
        region = Region.objects.get(code=TIANJIN)
        core_services.assign_role(user, actor=None, role=Role.REGIONAL_OFFICER, region=region)
    return user


def tianjin_plan(rng: random.Random, today: datetime.date, *, moment, fill_history) -> Plan:
    units = _units()
    officer = _account()
    region = Region.objects.get(code=TIANJIN)
    with clock.frozen(moment(ISSUED)):
        plan = services.create_plan(
            actor=officer,
            title="天津市关于进一步深化新时代科学技术普及工作的实施意见",
            short_title="天津市深化新时代科普工作实施意见",
            issuer="天津市科普工作联席会议办公室",
            issued_on=ISSUED,
            region=region,
            period_start=ISSUED,
            period_end=datetime.date(2035, 12, 31),
            baseline_date=BASELINE,
            reports_from=datetime.date(2026, 7, 1),
            summary=(
                "到2025年，公民具备科学素质的比例超过23%；到2035年，公民具备科学素质的比例"
                "超过30%。各区委、区政府，市科普工作联席会议成员单位结合实际认真贯彻落实。"
            ),
        )
        tasks = {}
        for number, title, items in parse_items(ITEMS.read_text(encoding="utf-8")):
            section = services.add_section(plan, actor=officer, number=number, title=title)
            for item, item_title in items:
                tasks[item] = services.create_task(
                    plan,
                    actor=officer,
                    section=section,
                    number=item,
                    title=item_title,
                    lead_unit=units["市科技局"],
                    responsible_units=[units["市科协"]],
                    deadline=datetime.date(2035, 12, 31),
                    position=int(item),
                )
        for year, value in ((2025, 23), (2035, 30)):
            services.create_target(
                plan,
                actor=officer,
                name=f"{year}年公民具备科学素质的比例",
                unit="%",
                region=region,
                source=c.TargetSource.REPORTED,
                baseline_value=Decimal("16.58"),
                target_value=value,
                comparison=c.Comparison.ABOVE,
                deadline=datetime.date(year, 12, 31),
                task=tasks["1"],  # 统筹领导: "确保…重点目标按期实现"
                additive=False,
            )
        services.publish_plan(plan, actor=officer, today=today)
    fill_history(plan, rng, today)
    return plan
