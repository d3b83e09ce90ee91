"""Demo assessments (考核), through the services with the demo officers at past moments:

- 成都市 assesses its counties for last year: each county's self-assessment (锦江区 by
  its own officer), scores by the city, confirmation by the province (four-eyes), and
  the result published on the portal;
- 四川省 assesses its 21 cities for last year: 成都市 has filed its self-assessment and
  a few cities are scored, the rest still wait (a round in progress);
- 四川省 assesses the member units of the Sichuan talent plan this year: 四川省教育厅 has
  filed its self-assessment.

No resident population is shipped with this slice: the per-capita criteria say "no
data" and the round's page names the regions without one until an officer enters it."""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core import clock
from kepu.core.models import Organization, Region, User
from kepu.plans.assessment_presets import region_assessment_criteria, unit_assessment_criteria
from kepu.plans.models import AssessmentRound, Plan
from kepu.plans.services import assessment as services
from kepu.rubrics import services as rubric_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CITY_ROUND = "成都市区县科普工作考核"
SELF_TEXT = (
    "全年组织科技活动周、全国科普日等重点活动，建立科普工作联席会议制度，"
    "按季度报送规划实施进展，新建科技志愿服务队，开展科普进社区、进学校活动。"
)


def _user(name):
    return User.objects.filter(username=name).first()


def _points(rng, criteria, share=(0.6, 0.95)):
    return {
        cr["code"]: f"{round(cr['weight'] * rng.uniform(*share), 1)}"
        for cr in criteria
        if cr["method"] == "manual"
    }


def _moment(days_ago, hour=10):
    day = clock.today() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=clock.now().tzinfo)


def load_assessment_demo(seed: int = 2026) -> dict:
    """Idempotent: does nothing when the demo rounds exist."""
    if AssessmentRound.objects.filter(name=CITY_ROUND).exists():
        return {"assessment_rounds": 0}
    rng = random.Random(seed)  # noqa: S311 (demo figures, not secrets)
    province, city = _user("demo-province"), _user("demo-city")
    sichuan, chengdu = Region.objects.get(code="51"), Region.objects.get(code="5101")
    last_year = clock.today().year - 1
    region_criteria, unit_criteria = region_assessment_criteria(), unit_assessment_criteria()
    with clock.frozen(_moment(40)):
        region_rubric = rubric_services.create_rubric(
            actor=province,
            name="四川省科普工作考核评分细则（地区）",
            purpose="assessment",
            region=sichuan,
            criteria=region_criteria,
            activate=True,
        )
        unit_rubric = rubric_services.create_rubric(
            actor=province,
            name="四川省全民科学素质工作成员单位考核评分细则",
            purpose="assessment",
            region=sichuan,
            criteria=unit_criteria,
            activate=True,
        )
    # 成都市 over its counties: the whole procedure, published on the portal.
    with clock.frozen(_moment(30)):
        city_round = services.create_round(
            actor=city,
            name=CITY_ROUND,
            region=chengdu,
            kind="regions",
            year=last_year,
            rubric=region_rubric,
            is_public=True,
            remarks="依据《成都市全民科学素质行动实施方案》开展年度考核。",
        )
    county_a = _user("demo-county-a")
    for i, entry in enumerate(city_round.entries.order_by("region__code")):
        with clock.frozen(_moment(25 - i % 5)):
            if entry.region.code == "510104":
                upload = SimpleUploadedFile("锦江区科普工作总结.pdf", PDF, "application/pdf")
                services.self_assess(
                    entry,
                    actor=county_a,
                    text=SELF_TEXT,
                    points=_points(rng, region_criteria, (0.8, 0.95)),
                    attachments=[upload],
                )
            else:
                services.self_assess(entry, actor=None, text=SELF_TEXT)
        with clock.frozen(_moment(15 - i % 5)):
            services.score_entry(entry, actor=city, points=_points(rng, region_criteria))
        with clock.frozen(_moment(8)):
            services.confirm_entry(entry, actor=province)
    with clock.frozen(_moment(5)):
        services.publish_round(city_round, actor=city)
    # 四川省 over its cities: in progress.
    with clock.frozen(_moment(20)):
        province_round = services.create_round(
            actor=province,
            name=f"{last_year}年度市（州）科普工作考核",
            region=sichuan,
            kind="regions",
            year=last_year,
            rubric=region_rubric,
        )
    scorer2 = _user("demo-province-2")
    for i, entry in enumerate(province_round.entries.order_by("region__code")[:8]):
        with clock.frozen(_moment(12 - i)):
            actor = city if entry.region_id == chengdu.pk else None
            services.self_assess(entry, actor=actor, text=SELF_TEXT)
        if i < 5:
            with clock.frozen(_moment(6)):
                services.score_entry(entry, actor=province, points=_points(rng, region_criteria))
        if i < 3:
            with clock.frozen(_moment(3)):
                services.confirm_entry(entry, actor=scorer2)
    # 四川省 over the member units of the talent plan (this year).
    plan = Plan.objects.filter(region=sichuan, tasks__units__isnull=False).order_by("pk").first()
    rounds = 2
    if plan is not None:
        with clock.frozen(_moment(10)):
            unit_round = services.create_round(
                actor=province,
                name=f"{clock.today().year}年度全民科学素质工作成员单位考核",
                region=sichuan,
                kind="units",
                plan=plan,
                year=clock.today().year,
                rubric=unit_rubric,
            )
        rounds += 1
        education = Organization.objects.filter(name="四川省教育厅").first()
        entry = unit_round.entries.filter(organization=education).first()
        if entry is not None:
            with clock.frozen(_moment(2)):
                services.self_assess(
                    entry,
                    actor=_user("demo-member"),
                    text="牵头推进科学教育与青少年科学素质提升任务，按时报送进展。",
                    points=_points(rng, unit_criteria, (0.8, 0.9)),
                )
    return {"assessment_rounds": rounds}
