"""Demo training (seeds 001 三(一)6, 000 (三)): courses, two training bases, sessions in
every state with enrolments, a waiting list, attendance and completions, through the
services at their moments (`clock.frozen`); and Qingyuan's science-tutor courses, whose
completions measure "200 science tutors trained a year" live (the plan indicator
`people.science_tutors_trained`). Called by the people demo; idempotent with it."""

from __future__ import annotations

import datetime
import random

from kepu.core import clock, periods
from kepu.core.models import Organization, Region
from kepu.people import services as people_services
from kepu.people import training_services as services
from kepu.people.models import Course, Person


def _at(day: datetime.date) -> datetime.datetime:
    return periods.local_midnight(day) + datetime.timedelta(hours=9)


def _org(name):
    return Organization.objects.filter(name=name).first()


def _run_session(course, *, actor, name, start, people, capacity, attend=1.0, rng, finish=True):
    """A session held from `start` (in the past): opened, enrolled, attended, completed on
    its last day and finished."""
    end = start + datetime.timedelta(days=2)
    with clock.frozen(_at(start - datetime.timedelta(days=20))):
        session = services.create_session(
            course, actor=actor, name=name, starts_on=start, ends_on=end, capacity=capacity,
            place=f"{course.region.name}科技馆培训室",
        )  # fmt: skip
        services.step_session(session, "open", actor=actor)
        enrolments = [services.enrol(session, p, actor=actor)[0] for p in people]
    with clock.frozen(_at(end)):
        for enrolment in enrolments:
            if enrolment.status == "enrolled" and rng.random() < attend:
                services.set_attendance(enrolment, actor=actor, attended=True)
        services.complete_attended(session, actor=actor, on=end)
        if finish:
            services.step_session(session, "finish", actor=actor)
    return session


def load_training_demo(officers: dict, *, seed: int = 2026, id_number=None) -> dict:
    if Course.objects.exists():
        return {"courses": 0}
    rng = random.Random(seed)  # noqa: S311 (demo data)
    today = clock.today()
    regions = {
        r.code: r for r in Region.objects.filter(code__in=["51", "5101", "510104", "510703"])
    }
    province, city = officers.get("51/"), officers.get("51/5101/")
    county_a, county_b = officers.get("51/5101/510104/"), officers.get("51/5107/510703/")
    people_a = list(
        Person.objects.live().filter(region__path__startswith="51/5101/510104/").order_by("pk")
    )
    people_b = list(
        Person.objects.live().filter(region__path__startswith="51/5107/510703/").order_by("pk")
    )

    # Bases: one proposed by the city and recognized by the province (four-eyes), one
    # waiting for recognition.
    museum = services.create_base(
        actor=city, name="四川科技馆科普培训基地", region=regions["5101"],
        organization=_org("成都市科学技术协会"), address="成都市青羊区人民中路一段16号",
        capacity=120,
    )  # fmt: skip
    services.recognize_base(museum, actor=province)
    services.create_base(
        actor=county_a, name="锦江区青少年科技活动中心", region=regions["510104"],
        organization=_org("锦江区科学技术协会"), address="成都市锦江区东大街", capacity=60,
    )  # fmt: skip

    tutors = services.create_course(
        actor=county_a, title="科学辅导员能力提升培训班", topic="青少年科学教育与实验教学",
        audience="tutor", hours=24, credit=2, region=regions["510104"],
        organization=_org("锦江区科学技术协会"),
        description="面向中小学科学教师和校外科技辅导员，含实验教学、科技竞赛辅导和研学设计。",
    )  # fmt: skip
    explainers = services.create_course(
        actor=city, title="科普讲解员培训班", topic="场馆讲解与科学传播",
        audience="explainer", hours=16, credit=1, region=regions["5101"],
        organization=_org("成都市科学技术协会"),
    )  # fmt: skip
    volunteers = services.create_course(
        actor=province, title="科技志愿服务骨干培训", topic="志愿服务组织与“群众点单”",
        audience="volunteer", hours=8, credit=0, region=regions["51"],
        organization=_org("四川省科学技术协会"),
    )  # fmt: skip
    informants = services.create_course(
        actor=county_b, title="科普中国信息员业务培训", topic="科普内容转发与反馈",
        audience="info", hours=4, credit=0, region=regions["510703"],
        organization=_org("涪城区科学技术协会"),
    )  # fmt: skip

    own = Person.objects.filter(user__username="demo-volunteer").first()
    first_people = ([own] if own else []) + [p for p in people_a if p != own][:11]
    _run_session(
        tutors, actor=county_a, name=f"{today.year}年第一期", rng=rng,
        start=today - datetime.timedelta(days=40), people=first_people, capacity=30, attend=0.85,
    )  # fmt: skip
    _run_session(
        volunteers, actor=province, name=f"{today.year}年全省骨干班", rng=rng,
        start=today - datetime.timedelta(days=70), people=people_a[12:20] + people_b[:8],
        capacity=40,
    )  # fmt: skip
    _run_session(
        informants, actor=county_b, name=f"{today.year}年第一期", rng=rng,
        start=today - datetime.timedelta(days=25), people=people_b[8:18], capacity=20,
    )  # fmt: skip

    # Open now: the tutors' second session (the volunteer persona enrolled themselves)
    # and a full interpreters' session with a waiting list; a draft for next month.
    second = services.create_session(
        tutors, actor=county_a, name=f"{today.year}年第二期", base=museum,
        starts_on=today + datetime.timedelta(days=14), ends_on=today + datetime.timedelta(days=16),
        capacity=20, enrol_from=today - datetime.timedelta(days=5),
        enrol_until=today + datetime.timedelta(days=10),
    )  # fmt: skip
    services.step_session(second, "open", actor=county_a)
    for person in people_a[20:27]:
        services.enrol(second, person, actor=county_a)
    full = services.create_session(
        explainers, actor=city, name=f"{today.year}年春季班", base=museum,
        starts_on=today + datetime.timedelta(days=7), ends_on=today + datetime.timedelta(days=9),
        capacity=5,
    )  # fmt: skip
    services.step_session(full, "open", actor=city)
    for person in people_a[27:34]:
        services.enrol(full, person, actor=city)
    services.create_session(
        volunteers, actor=province, name=f"{today.year}年第二期",
        starts_on=today + datetime.timedelta(days=40), ends_on=today + datetime.timedelta(days=41),
        capacity=50, place="四川省科技馆",
    )  # fmt: skip

    qingyuan = _qingyuan(rng, id_number)
    return {"courses": Course.objects.count(), "qingyuan_completions": qingyuan}


def _qingyuan(rng, id_number) -> int:
    """Qingyuan's science-tutor training (001 三(一)6: 200 trained a year): a course of
    清远市科协 and sessions in 2025 and this year, for a few dozen people of the city."""
    region = Region.objects.filter(code="4418").first()
    counties = list(Region.objects.filter(parent=region).order_by("code")) if region else []
    if not counties or id_number is None:
        return 0
    course = services.create_course(
        actor=None, title="清远市科学辅导员培训班", topic="科学教育与科技辅导",
        audience="tutor", hours=32, credit=2, region=region,
        organization=_org("清远市科学技术协会"),
    )  # fmt: skip
    people = []
    for i in range(48):
        county = counties[i % len(counties)]
        with clock.frozen(_at(datetime.date(2025, 2, 1))):
            people.append(
                people_services.create_person(
                    actor=None, name=f"清远学员{i + 1:02d}", region=county,
                    id_number=id_number(rng, county.code),
                )
            )  # fmt: skip
    done = 0
    for name, start, group in (
        ("2025年第一期", datetime.date(2025, 4, 14), people[:24]),
        ("2025年第二期", datetime.date(2025, 10, 13), people[24:40]),
    ):
        session = _run_session(
            course, actor=None, name=name, start=start, people=group, capacity=30, rng=rng
        )
        done += session.enrolments.filter(status="completed").count()
    return done
