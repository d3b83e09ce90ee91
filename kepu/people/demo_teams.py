"""Demo volunteer teams, second pass (issue 26), through the services: city and province
corps (总队) with sub-teams (分队) filed by one officer and certified by another, teams
waiting for certification, a suspended team, team honours, and twelve designated service
groups for twelve counties.

Seed 003 (十六) is Jiangsu's: 12 rural-revitalization science service groups for its 12
key assisted counties. The demo province is Sichuan, whose list of such counties is not
in the seeds, so the demo applies the same shape to twelve counties of the demo province
chosen for the demo (not an official list)."""

from __future__ import annotations

import datetime

from kepu.core import clock
from kepu.core.choices import RegionLevel
from kepu.core.models import Organization, Region, User
from kepu.people import choices as c
from kepu.people import services
from kepu.people import team_services as ts

GROUP_COUNT = 12


def _user(username):
    return User.objects.filter(username=username).first()


def load_team_demo(teams: list, officers: dict) -> dict:
    """`teams`: the county teams the people demo made; `officers`: path -> persona user."""
    province = Region.objects.get(code="51")
    officer_p, officer_p2 = _user("demo-province"), _user("demo-province-2")
    officer_city, officer_b = _user("demo-city"), _user("demo-county-b")
    officer_a = _user("demo-county-a")
    corps_p = services.create_team(
        actor=officer_p, name="四川省科技志愿服务总队", region=province, specialties="综合科普"
    )
    chengdu, mianyang = Region.objects.get(code="5101"), Region.objects.get(code="5107")
    corps = {}
    for region in (chengdu, mianyang):
        team = ts.file_team(
            actor=officer_p,
            name=f"{region.name}科技志愿服务总队",
            region=region,
            parent=corps_p,
            specialties="应急科普、科学实验",
        )
        corps[region.code] = ts.certify_team(team, actor=officer_p2)
    subteams = [
        ("锦江区应急科普分队", "510104", "5101", officer_city, officer_p),
        ("锦江区青少年科学实验分队", "510104", "5101", officer_city, officer_p),
        ("涪城区防灾减灾分队", "510703", "5107", officer_p, officer_p2),
    ]
    for name, code, parent_code, filer, certifier in subteams:
        team = ts.file_team(
            actor=filer,
            name=name,
            region=Region.objects.get(code=code),
            parent=corps[parent_code],
            specialties="应急科普",
        )
        ts.certify_team(team, actor=certifier)
    # Waiting for certification: each persona county has one filed by its own officer
    # (the page says another officer must certify it).
    for officer, code, name in (
        (officer_a, "510104", "锦江区社区健康科普服务队"),
        (officer_b, "510703", "涪城区农技科普服务队"),
    ):
        ts.file_team(actor=officer, name=name, region=Region.objects.get(code=code))
    if len(teams) > 3:
        ts.suspend_team(teams[3], actor=officer_p, reason="连续一年未开展志愿服务活动")
    awarded = [corps_p, corps["5101"], *teams[:3]]
    for i, team in enumerate(awarded):
        ts.add_team_honour(
            team,
            actor=officer_p,
            honour=c.TeamHonourKind.EXCELLENT if i % 2 == 0 else c.TeamHonourKind.MODEL,
            year=2024 + i % 2,
            awarded_by="四川省科学技术协会",
        )
    groups = _service_groups(province, corps_p, officer_p)
    return {"team_groups": groups}


def _service_groups(province, lead_team, officer) -> int:
    """Twelve groups for twelve counties (seed 003 (十六)), led by the province corps or,
    alternately, by the agriculture department."""
    counties = list(
        Region.objects.subtree(province)
        .filter(level=RegionLevel.COUNTY)
        .exclude(code__startswith="5101")
        .order_by("code")
    )
    if not counties:
        return 0
    step = max(1, len(counties) // GROUP_COUNT)
    chosen = counties[::step][:GROUP_COUNT]
    county_b = next((r for r in counties if r.code == "510703"), None)
    if county_b is not None and county_b not in chosen:
        chosen[-1] = county_b
    agriculture = Organization.objects.filter(name="四川省农业农村厅").first()
    today = clock.today()
    start, end = datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 1, 12, 31)
    for i, county in enumerate(chosen):
        by_unit = i % 2 == 1 and agriculture is not None
        ts.create_service_group(
            actor=officer,
            name=f"{county.name}乡村振兴科技服务团",
            region=province,
            lead_team=None if by_unit else lead_team,
            lead_organization=agriculture if by_unit else None,
            counties=[county],
            period_start=start,
            period_end=end,
            description="根据县域产业需求开展技术咨询、科普讲座和农技培训。",
        )
    return len(chosen)
