"""Training at benchmark scale (a step of `kepu.people.dataset`): at province scale about
1,500 courses, 300 training bases, 6,000 sessions over three years and 300,000 enrolments
of the registry's volunteers (most completed, with certificate numbers). The enrolments
carry the session's region and audience as the services write them; the completions'
rollup is rebuilt by `Dataset.finish`. The people's `Training` and `CreditEntry` rows that
the completion service writes are not generated here (the person page is not measured)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kepu.core.dataset import Dataset
from kepu.people import choices as c
from kepu.people.models import Course, Enrolment, TrainingBase, TrainingSession

SIZES = {"courses": 1_500, "bases": 300, "sessions": 6_000, "enrolments": 300_000}
TITLES = {
    "tutor": ["科学辅导员能力提升培训班", "青少年科技教育骨干教师研修班"],
    "explainer": ["科普讲解员培训班", "场馆讲解技能提升班"],
    "volunteer": ["科技志愿服务骨干培训", "应急救护志愿者培训"],
    "info": ["科普中国信息员业务培训"],
    "grid": ["科普网格员业务培训"],
    "staff": ["基层科普工作者能力提升班", "科普创作研修班"],
    "other": ["农村实用技术培训班"],
}
AUDIENCE_WEIGHTS = {"tutor": 25, "explainer": 12, "volunteer": 25, "info": 10, "grid": 8,
                    "staff": 15, "other": 5}  # fmt: skip


def _n(ds: Dataset, key: str) -> int:
    return max(3, round(SIZES[key] * ds.factor))


def generate_training(ds: Dataset) -> int:
    rng = ds.rng
    audiences, weights = list(AUDIENCE_WEIGHTS), list(AUDIENCE_WEIGHTS.values())
    places = ds.cities + ds.counties
    courses = []
    for pk in ds.ids(Course, _n(ds, "courses")):
        audience = rng.choices(audiences, weights=weights)[0]
        region = rng.choice(places)
        orgs = ds.orgs_by_county.get(region.code) if region.level == 3 else None
        courses.append(
            {
                "id": pk,
                "title": f"{region.name}{rng.choice(TITLES[audience])}",
                "topic": "",
                "audience": audience,
                "hours": Decimal(rng.choice((4, 8, 16, 24, 32))),
                "credit": Decimal(rng.choice((0, 0, 1, 2))),
                "region_id": region.pk,
                "organization_id": rng.choice(orgs) if orgs else None,
                "description": "",
                "created_at": ds.moment(1100),
            }
        )
    bases = []
    for pk in ds.ids(TrainingBase, _n(ds, "bases")):
        region = rng.choice(places)
        recognized = rng.random() < 0.8
        bases.append(
            {
                "id": pk,
                "name": f"{region.name}科普培训基地{pk}",
                "region_id": region.pk,
                "address": "",
                "capacity": rng.choice((40, 60, 100, 200)),
                "status": c.BaseStatus.RECOGNIZED if recognized else c.BaseStatus.PROPOSED,
                "recognized_on": ds.moment(900).date() if recognized else None,
            }
        )
    n_sessions = _n(ds, "sessions")
    per_session = max(1, _n(ds, "enrolments") // n_sessions)
    enrolment_ids = iter(ds.ids(Enrolment, n_sessions * (per_session * 2)))
    volunteers = [pk for pk, _region in ds.volunteers]
    sessions, enrolments = [], []
    for pk in ds.ids(TrainingSession, n_sessions):
        course = rng.choice(courses)
        starts = (ds.now - datetime.timedelta(days=rng.randrange(-60, 1000))).date()
        ends = starts + datetime.timedelta(days=rng.choice((0, 1, 2, 4)))
        if starts > ds.today:
            status = rng.choice((c.SessionStatus.OPEN, c.SessionStatus.DRAFT))
        elif ends >= ds.today:
            status = c.SessionStatus.CLOSED
        else:
            status = c.SessionStatus.FINISHED
        capacity = rng.choice((30, 50, 60, 80, 120))
        size = min(len(volunteers), rng.randint(per_session // 2, per_session * 3 // 2))
        people = rng.sample(volunteers, size) if status != c.SessionStatus.DRAFT else []
        counts = {"enrolled": 0, "waiting": 0, "completed": 0}
        enrolled_at = ds.now - datetime.timedelta(days=max((ds.today - starts).days, 0) + 10)
        for person in people:
            taken = counts["enrolled"] + counts["completed"]
            status_e = "waiting" if taken >= capacity else "enrolled"
            done = (
                status == c.SessionStatus.FINISHED and status_e == "enrolled" and rng.random() < 0.9
            )
            if done:
                status_e = "completed"
            counts[status_e] += 1
            enrolment_id = next(enrolment_ids)
            enrolments.append(
                {
                    "id": enrolment_id,
                    "session_id": pk,
                    "person_id": person,
                    "region_id": course["region_id"],
                    "organization_id": course["organization_id"],
                    "audience": course["audience"],
                    "status": status_e,
                    "self_enrolled": rng.random() < 0.2,
                    "enrolled_at": enrolled_at,
                    "attended": done,
                    "completed_on": ends if done else None,
                    "hours": course["hours"] if done else None,
                    "credit": course["credit"] if done else None,
                    "certificate_number": f"PX{ends.year}{enrolment_id:08d}DS" if done else None,
                }
            )
        sessions.append(
            {
                "id": pk,
                "course_id": course["id"],
                "name": f"{starts.year}年第{rng.randint(1, 4)}期",
                "region_id": course["region_id"],
                "base_id": rng.choice(bases)["id"] if rng.random() < 0.4 else None,
                "place": "",
                "starts_on": starts,
                "ends_on": ends,
                "capacity": capacity,
                "status": status,
                "enrolled_count": counts["enrolled"],
                "waiting_count": counts["waiting"],
                "completed_count": counts["completed"],
            }
        )
    return (
        ds.insert(Course, courses)
        + ds.insert(TrainingBase, bases)
        + ds.insert(TrainingSession, sessions)
        + ds.insert(Enrolment, enrolments)
    )
