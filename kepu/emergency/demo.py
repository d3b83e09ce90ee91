"""Demo emergency responses, replayed through the services at past moments:

- a past earthquake in 成都市都江堰市 (level Ⅱ, activated by the province): the expert group
  proposed, confirmed, answered (one decline and its replacement), duty shifts, two pushes
  to the last mile with acknowledgements and reach, rumours reported by officers and the
  public (one merged duplicate, one out of scope), rebuttals approved by the demo expert
  and published, expert answers, closed with lessons learned: its review report is full;
- an active flood drill in 成都市锦江区 (level Ⅳ, by the city): an invitation still to
  answer, a push the demo volunteer (an information officer of 锦江区) has to acknowledge,
  a lead to triage and a rebuttal in the demo expert's review;
- the normal-times misinformation log: leads over the last year on health, food safety
  and disasters, most of them rebutted (the public rebuttal library).

Idempotent: a second run finds the incidents by title and creates nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kepu.core import clock, jobs
from kepu.core.models import Region, User
from kepu.emergency import choices as c
from kepu.emergency import services
from kepu.emergency.models import GroupMember, Incident, Rumor
from kepu.people import services as people_services
from kepu.people.choices import PoolKind, RegistrationKind, RegistrationStatus
from kepu.people.models import ExpertPool, Person, PoolMembership
from kepu.resources.models import Resource

QUAKE_TITLE = "成都市都江堰市5.8级地震应急科普响应"
DRILL_TITLE = "成都市锦江区城市内涝应急科普演练"


def _user(username):
    return User.objects.filter(username=username).first()


def _region(code):
    return Region.objects.get(code=code)


def _at(days_ago: float, hour: int = 9, minute: int = 0) -> datetime.datetime:
    day = clock.today() - datetime.timedelta(days=int(days_ago))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _later(moment, **delta):
    return moment + datetime.timedelta(**delta)


def _prepare_people() -> tuple[Person | None, Person | None]:
    """The demo expert in the province's emergency pool (earthquakes, floods, geological
    hazards) and the demo volunteer a certified information officer of 锦江区, so the
    journeys reach them."""
    expert = Person.objects.filter(user__username="demo-expert").first()
    pool = ExpertPool.objects.filter(kind=PoolKind.EMERGENCY, region__code="51").first()
    if (
        expert is not None
        and pool is not None
        and not PoolMembership.objects.filter(pool=pool, person=expert).exists()
    ):
        people_services.add_pool_member(
            pool,
            expert,
            actor=None,
            topics=["earthquake", "flood", "geohazard"],
            term_start=clock.today() - datetime.timedelta(days=730),
        )
    volunteer = Person.objects.filter(user__username="demo-volunteer").first()
    if volunteer is not None:
        has = volunteer.registrations.filter(
            kind=RegistrationKind.INFO_OFFICER, status=RegistrationStatus.CERTIFIED
        ).exists()
        if not has:
            people_services.add_registration(
                volunteer,
                actor=None,
                kind=RegistrationKind.INFO_OFFICER,
                region=_region("510104"),
            )
    return expert, volunteer


def _emergency_resources(hazard: str, n: int) -> list[Resource]:
    rows = Resource.objects.filter(status="published", is_emergency=True)
    matched = list(rows.filter(tags__kind="hazard", tags__code=hazard).distinct()[:n])
    if len(matched) < n:
        matched += list(rows.exclude(pk__in=[r.pk for r in matched])[: n - len(matched)])
    return matched


def _name_expert(incident, expert, officer) -> None:
    """The demo expert (who has an account: rebuttal reviews need one) named by the
    officer when the proposal did not already include him."""
    if expert is not None and not incident.members.filter(person=expert).exists():
        with clock.frozen(_later(incident.activated_at, minutes=10)):
            services.add_expert(incident, expert, actor=officer)


def _deliver(push) -> None:
    """Run the push's delivery job now (the demo's worker may start later)."""
    if push.job_id:
        jobs.execute(str(push.job_id))


@transaction.atomic
def _quake(expert) -> Incident | None:
    province, province_2 = _user("demo-province"), _user("demo-province-2")
    t0 = _at(75, 21, 19)
    with clock.frozen(_later(t0, minutes=25)):
        incident = services.activate_incident(
            actor=province,
            title=QUAKE_TITLE,
            hazard="earthquake",
            level=c.Level.II,
            region=_region("51"),
            affected_regions=[_region("510181"), _region("510182"), _region("510184")],
            started_at=t0,
            summary=(
                "成都市都江堰市发生5.8级地震，震源深度14公里，都江堰市、彭州市和崇州市震感强烈。"
                "省科协启动Ⅱ级应急科普响应，组织应急科普专家组开展震后避险、防疫和心理疏导科普，"
                "通过科技志愿服务队、科普信息员和村（社区）把权威知识送到群众身边，及时回应网络谣言。"
            ),
        )
    _name_expert(incident, expert, province)
    proposed = list(incident.members.filter(status=c.MemberStatus.PROPOSED))
    with clock.frozen(_later(t0, minutes=40)):
        services.invite_members(incident, actor=province, members=proposed)
    others = [m for m in proposed if expert is None or m.person_id != expert.pk]
    decliner = others[1].pk if len(others) > 1 else None  # declines; replaced
    for i, member in enumerate(proposed):
        with clock.frozen(_later(t0, minutes=55 + 7 * i)):
            member.refresh_from_db()
            if expert is not None and member.person_id == expert.pk:
                services.respond_invitation(member, actor=_user("demo-expert"), accept=True)
            elif member.pk == decliner:
                services.record_response(
                    member, actor=province, accept=False, reason="正在外地参加抗震救灾技术支援"
                )
            else:
                services.record_response(member, actor=province, accept=True)
    replacements = list(incident.members.filter(status=c.MemberStatus.PROPOSED))
    if replacements:
        with clock.frozen(_later(t0, hours=1, minutes=40)):
            services.invite_members(incident, actor=province, members=replacements)
        for member in replacements:
            with clock.frozen(_later(t0, hours=2, minutes=5)):
                member.refresh_from_db()
                services.record_response(member, actor=province, accept=True)
    accepted = list(incident.members.filter(status=c.MemberStatus.ACCEPTED).order_by("rank"))
    for i, member in enumerate(accepted[:4]):
        start = _later(t0, hours=3 + 12 * (i % 2))
        with clock.frozen(_later(t0, hours=2, minutes=30)):
            services.add_shift(
                member, actor=province, starts_at=start, ends_at=_later(start, hours=12)
            )

    resources = _emergency_resources("earthquake", 6)
    pushes = []
    plans = [
        (1, 30, "震后避险与自救互救要点", ["team", "info_officer", "community"], resources[:3]),
        (
            9,
            0,
            "震后防疫与饮水安全科普",
            ["team", "info_officer", "community", "member_unit"],
            resources[3:6] or resources[:2],
        ),
    ]
    for hours, minutes, title, channels, chosen in plans:
        if not chosen:
            continue
        with clock.frozen(_later(t0, hours=hours, minutes=minutes)):
            push = services.create_push(
                incident,
                actor=province,
                title=title,
                message="请立即转发至所联系的群众、村（居）民微信群，并在村（社区）公告栏张贴。",
                resources=chosen,
                channels=channels,
                regions=[_region("510181"), _region("510182"), _region("510184")],
            )
        _deliver(push)
        pushes.append(push)
    for p_index, push in enumerate(pushes):
        deliveries = list(push.deliveries.order_by("pk"))
        for i, delivery in enumerate(deliveries):
            if i % 10 >= 7:  # about 70 % acknowledged
                continue
            with clock.frozen(_later(push.created_at, minutes=20 + 9 * i)):
                services.record_acknowledgement(
                    delivery,
                    actor=province,
                    groups_forwarded=2 + (i % 5),
                    people_reached=180 + 37 * ((i * 7 + p_index) % 23),
                )

    leads = [
        (
            2,
            "今晚12点前还会发生8级以上大地震，大家千万不要回家。",
            "earthquake",
            "510181",
            "officer",
            "needs",
        ),
        (
            3,
            "地震云已经出现，专家预测明天都江堰还有强震。",
            "earthquake",
            "510182",
            "public",
            "needs",
        ),
        (4, "震后水源都被污染了，喝自来水会得霍乱。", "epidemic", "510181", "officer", "needs"),
        (6, "喝板蓝根可以预防震后传染病。", "epidemic", "510184", "public", "needs"),
        (7, "某品牌矿泉水捐赠物资是假货。", "food", "510181", "public", "out"),
    ]
    rumors = []
    for hours, claim, topic, code, source, _decision in leads:
        with clock.frozen(_later(t0, hours=hours)):
            rumor, _created = services.report_rumor(
                actor=None if source == "public" else province,
                incident=incident,
                claim=claim,
                topic=topic,
                region=_region(code),
                source=source,
                seen_on="微信群" if source == "public" else "短视频平台",
            )
        rumors.append(rumor)
    with clock.frozen(_later(t0, hours=5)):  # the same claim again, merged
        services.report_rumor(
            actor=None,
            incident=incident,
            claim=leads[0][1],
            topic="earthquake",
            region=_region("510181"),
            source="public",
            seen_on="微信群",
        )
    texts = {
        0: (
            "“今晚还有8级以上大地震”不实",
            "目前的科学水平还不能准确预报地震发生的时间、地点和震级。任何具体到“今晚几点、几级”"
            "的说法都是谣言。强震后发生余震是正常现象，请听从当地政府安排，远离危房，"
            "在安全的避难场所休息。",
        ),
        1: (
            "“地震云”不能预报地震",
            "所谓“地震云”只是普通的气象现象，与地震没有科学上的对应关系。地震预报须由政府"
            "依法统一发布，请不要相信和转发来源不明的“预测”。",
        ),
        2: (
            "震后饮水：煮沸后饮用，不必恐慌",
            "震后部分供水设施可能受损，应饮用经检测合格的供水或瓶装水，自来水煮沸后饮用。"
            "目前灾区未发现霍乱疫情，卫生部门正持续开展水质监测。",
        ),
        3: (
            "板蓝根不能预防传染病",
            "板蓝根没有预防传染病的作用。预防震后传染病，关键是喝开水、吃熟食、勤洗手，"
            "做好环境消毒和垃圾清运，出现发热、腹泻等症状及时就医。",
        ),
    }
    for i, rumor in enumerate(rumors):
        decision = leads[i][5]
        with clock.frozen(_later(rumor.reported_at, minutes=15)):
            rumor.refresh_from_db()
            if decision == "out":
                services.triage_rumor(
                    rumor,
                    actor=province,
                    decision=c.TriageDecision.OUT_OF_SCOPE,
                    note="属于商品质量问题，已转市场监管部门处理。",
                )
                continue
            services.triage_rumor(rumor, actor=province, decision=c.TriageDecision.NEEDS_REBUTTAL)
        if expert is None or i not in texts:
            continue
        title, body = texts[i]
        with clock.frozen(_later(rumor.reported_at, minutes=35)):
            rebuttal = services.draft_rebuttal(rumor, actor=province, title=title, body=body)
            services.submit_rebuttal(rebuttal, actor=province, reviewers=[expert])
        review = rebuttal.reviews.get()
        with clock.frozen(_later(rumor.reported_at, minutes=70 + 20 * i)):
            services.decide_review(
                review, actor=_user("demo-expert"), approve=True, comment="内容科学准确，同意发布。"
            )
        with clock.frozen(_later(rumor.reported_at, minutes=85 + 20 * i)):
            rebuttal.refresh_from_db()
            services.publish_rebuttal(rebuttal, actor=province_2)

    answers = [
        (
            "余震还会持续多久？",
            "强震后的余震一般会持续数周到数月，强度总体逐渐减弱。请远离受损建筑，关注官方发布。",
        ),
        (
            "帐篷里怎样预防一氧化碳中毒？",
            "不要在帐篷内使用炭火取暖或做饭，使用取暖设备要保持通风。",
        ),
        (
            "孩子受到惊吓睡不着怎么办？",
            "多陪伴、多倾听，保持规律作息；症状持续两周以上请联系心理援助热线。",
        ),
    ]
    for i, (question, answer) in enumerate(answers):
        if not accepted:
            break
        with clock.frozen(_later(t0, hours=6 + 5 * i)):
            services.publish_answer(
                incident,
                actor=province,
                question=question,
                answer=answer,
                person=accepted[i % len(accepted)].person,
            )
    with clock.frozen(_later(t0, days=12)):
        services.close_incident(
            incident,
            actor=province,
            lessons=(
                "一、专家组在1小时内完成确认，震后3小时首批科普内容送达村（社区），响应较快。\n"
                "二、崇州市部分村级信息员未及时签收，需补充联系人并开展演练。\n"
                "三、“地震云”类谣言传播快，应在平时加强常识性辟谣内容储备。"
            ),
        )
    return incident


@transaction.atomic
def _drill(expert, volunteer) -> Incident | None:
    city = _user("demo-city")
    t0 = _at(2, 14, 0)
    with clock.frozen(t0):
        incident = services.activate_incident(
            actor=city,
            title=DRILL_TITLE,
            hazard="flood",
            level=c.Level.IV,
            region=_region("5101"),
            affected_regions=[_region("510104")],
            started_at=t0,
            is_drill=True,
            summary="模拟强降雨导致锦江区部分街道城市内涝，检验应急科普响应、信息员签收和辟谣流程。",
        )
    _name_expert(incident, expert, city)
    proposed = list(incident.members.filter(status=c.MemberStatus.PROPOSED))
    with clock.frozen(_later(t0, minutes=20)):
        services.invite_members(incident, actor=city, members=proposed)
    for i, member in enumerate(proposed):
        with clock.frozen(_later(t0, minutes=30 + 5 * i)):
            if expert is not None and member.person_id == expert.pk:
                services.respond_invitation(member, actor=_user("demo-expert"), accept=True)
            elif i > 0:  # the first still has to answer
                services.record_response(member, actor=city, accept=True)
    resources = _emergency_resources("flood", 3)
    if resources:
        with clock.frozen(_later(t0, hours=1)):
            push = services.create_push(
                incident,
                actor=city,
                title="城市内涝避险与防溺水提示（演练）",
                message="演练：请签收并转发至所在社区群。",
                resources=resources,
                channels=["info_officer", "team"],
                regions=[_region("510104")],
            )
        _deliver(push)
    with clock.frozen(_later(t0, hours=2)):
        services.report_rumor(
            actor=city,
            incident=incident,
            claim="锦江区自来水厂被淹，明天起全区停水一周。",
            topic="flood",
            region=_region("510104"),
            source="officer",
            seen_on="本地论坛",
        )
        rumor, _created = services.report_rumor(
            actor=city,
            incident=incident,
            claim="积水里有高压电，所有人都不能出门。",
            topic="flood",
            region=_region("510104"),
            source="officer",
            seen_on="微信群",
        )
    if (
        expert is not None
        and GroupMember.objects.filter(
            incident=incident, person=expert, status=c.MemberStatus.ACCEPTED
        ).exists()
    ):
        with clock.frozen(_later(t0, hours=2, minutes=30)):
            services.triage_rumor(rumor, actor=city, decision=c.TriageDecision.NEEDS_REBUTTAL)
            rebuttal = services.draft_rebuttal(
                rumor,
                actor=city,
                title="积水路段注意用电安全，并非“不能出门”",
                body="遇到积水请绕行，远离电线杆、变压器和路灯杆；发现电线落入水中请立即报告供电部门。",
            )
            services.submit_rebuttal(rebuttal, actor=city, reviewers=[expert])
    return incident


NORMAL_TIMES = [
    (330, "吃了隔夜菜会致癌。", "food", "5101"),
    (300, "手机放枕边睡觉辐射会导致脑瘤。", "health", "5107"),
    (270, "打雷时用手机会被雷劈，是因为手机吸引闪电。", "weather", "5101"),
    (240, "震前动物异常一定预示大地震。", "earthquake", "5133"),
    (200, "流感疫苗会让人得流感。", "epidemic", "5101"),
    (160, "微波炉加热食物会产生致癌物。", "food", "5106"),
    (120, "洪水退去后的鱼可以放心吃。", "flood", "5118"),
    (90, "核污染水会让四川的海盐都不能吃。", "nuclear", "5101"),
    (60, "森林防火期上山带打火机不违法。", "fire", "5134"),
    (30, "每天喝醋可以软化血管。", "health", "5107"),
]


@transaction.atomic
def _normal_times(expert) -> int:
    province = _user("demo-province")
    made = 0
    for i, (days, claim, topic, code) in enumerate(NORMAL_TIMES):
        when = _at(days, 10, 0)
        with clock.frozen(when):
            rumor, created = services.report_rumor(
                actor=province,
                incident=None,
                claim=claim,
                topic=topic,
                region=_region(code),
                source="officer",
                seen_on="短视频平台",
            )
        if not created:
            continue
        made += 1
        if expert is None or i % 5 == 4:  # some stay untriaged or unanswered
            continue
        with clock.frozen(_later(when, hours=2)):
            services.triage_rumor(rumor, actor=province, decision=c.TriageDecision.NEEDS_REBUTTAL)
            rebuttal = services.draft_rebuttal(
                rumor,
                actor=province,
                title=f"辟谣：{claim.rstrip('。')}？",
                body=(
                    "经专家核实，这一说法缺乏科学依据。请以权威部门和专业机构发布的信息为准，"
                    "不信谣、不传谣；有疑问可以咨询当地科协或拨打卫生健康服务热线。"
                ),
            )
            services.submit_rebuttal(rebuttal, actor=province, reviewers=[expert])
        with clock.frozen(_later(when, hours=6)):
            services.decide_review(
                rebuttal.reviews.get(), actor=_user("demo-expert"), approve=True, comment="同意。"
            )
        with clock.frozen(_later(when, hours=8)):
            rebuttal.refresh_from_db()
            services.publish_rebuttal(rebuttal, actor=_user("demo-province-2"))
    return made


def load_demo(size: int = 0) -> dict:
    if Incident.objects.filter(title=QUAKE_TITLE).exists():
        return {"incidents": 0}
    expert, volunteer = _prepare_people()
    quake = _quake(expert)
    drill = _drill(expert, volunteer)
    leads = _normal_times(expert)
    return {
        "incidents": int(quake is not None) + int(drill is not None),
        "leads": Rumor.objects.count(),
        "normal_time_leads": leads,
    }
