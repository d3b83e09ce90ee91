"""Demo joint conferences (seeds 000 (一), 004 (21), 003 (四)), through the services: the
Sichuan science-popularization joint conference (省科普工作联席会议, office at the
science and technology department, seed 000) with a plenary meeting whose decisions
assign tasks to member units, and a county conference for the persona county B."""

from __future__ import annotations

import datetime

from kepu.core.models import Organization, Region, User
from kepu.plans import services
from kepu.plans.models import JointConference

PROVINCE_MEMBERS = [
    "四川省科学技术厅",
    "四川省科学技术协会",
    "四川省教育厅",
    "四川省卫生健康委员会",
    "四川省农业农村厅",
    "四川省应急管理厅",
]


def _orgs(names):
    found = {o.name: o for o in Organization.objects.filter(name__in=names)}
    return [found[n] for n in names if n in found]


def load_meeting_demo(today: datetime.date) -> dict:
    if JointConference.objects.exists():
        return {"meetings": 0}
    officer = User.objects.filter(username="demo-province").first()
    members = _orgs(PROVINCE_MEMBERS)
    conference = services.create_conference(
        actor=officer,
        name="四川省科普工作联席会议",
        region=Region.objects.get(code="51"),
        office="四川省科学技术厅",
        members=members,
    )
    meeting = services.create_meeting(
        conference,
        actor=officer,
        title=f"{today.year}年全体会议",
        date=today - datetime.timedelta(days=40),
        place="四川省科学技术厅会议室",
        chaired_by="四川省科学技术厅",
        topics="通报上年度全省科普工作情况\n审议本年度科普工作要点\n部署科普人才队伍建设方案实施",
        attendees="四川省教育厅 分管负责同志\n四川省科学技术协会 科普部负责同志",
        present=members[:5],
    )
    by_name = {o.name: o for o in members}
    year_end = datetime.date(today.year, 12, 31)
    decisions = [
        ("原则通过本年度全省科普工作要点，由各成员单位结合职责抓好落实。", None, [], None),
        (
            "将科普人才队伍建设作为联席会议重点任务，年底前报送实施进展。",
            "四川省科学技术厅",
            ["四川省科学技术协会"],
            year_end,
        ),
        (
            "开展中小学科技辅导员培训，提升校内科学教育能力。",
            "四川省教育厅",
            ["四川省科学技术协会"],
            year_end,
        ),
        (
            "健全突发公共事件应急科普工作机制，汛期前完成应急科普资源储备。",
            "四川省应急管理厅",
            ["四川省卫生健康委员会", "四川省科学技术协会"],
            datetime.date(today.year, 6, 30) if today.month < 6 else year_end,
        ),
    ]
    for text, lead, responsible, deadline in decisions:
        services.add_decision(
            meeting,
            actor=officer,
            text=text,
            lead_unit=by_name.get(lead) if lead else None,
            responsible_units=[by_name[n] for n in responsible if n in by_name] if lead else [],
            deadline=deadline,
        )
    county_officer = User.objects.filter(username="demo-county-b").first()
    county_units = _orgs(["涪城区科学技术协会", "绵阳南山中学"])
    count = 1
    if county_units:
        county = services.create_conference(
            actor=county_officer,
            name="涪城区科普工作联席会议",
            region=Region.objects.get(code="510703"),
            office="涪城区科学技术协会",
            members=county_units,
        )
        services.create_meeting(
            county,
            actor=county_officer,
            title=f"{today.year}年第一次会议",
            date=today - datetime.timedelta(days=20),
            place="涪城区科协会议室",
            topics="部署全国科普日涪城区活动",
            present=county_units,
        )
        count += 1
    return {"meetings": count}
