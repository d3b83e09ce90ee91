"""Training rows of the people app's authorization matrix (joined into `authz.py`): a
course, a proposed base, an open session and enrolments in county B (涪城区), which
county A and the city of Chengdu must never manage."""

import datetime

from kepu.core import clock
from kepu.core.models import Region
from kepu.core.pii import id_check_char
from kepu.core.testing import Row, officers, statuses
from kepu.people import services as people_services
from kepu.people import training_services as services


def _valid(body17: str) -> str:
    return body17 + id_check_char(body17)


def training_context(ctx):
    county_b = Region.objects.get(code="510703")
    ctx["course_b"] = course = services.create_course(
        actor=None, title="涪城区科学辅导员培训班", audience="tutor", hours=8, credit=1,
        region=county_b,
    )  # fmt: skip
    ctx["tbase_b"] = services.create_base(actor=None, name="涪城区科普培训基地", region=county_b)
    today = clock.today()
    session = services.create_session(
        course, actor=None, name="第一期", starts_on=today,
        ends_on=today + datetime.timedelta(days=1), capacity=10,
    )  # fmt: skip
    ctx["session_b"] = services.step_session(session, "open", actor=None)
    people = [
        people_services.create_person(
            actor=None,
            name=f"培训矩阵{i}",
            region=county_b,
            id_number=_valid(f"5107031995010100{i}"),
        )
        for i in range(3)
    ]
    ctx["trainee_b"] = people[0]
    ctx["enrolment_b"], _c = services.enrol(session, people[1], actor=None)
    attended, _c = services.enrol(session, people[2], actor=None)
    ctx["attended_b"] = services.set_attendance(attended, actor=None, attended=True)
    done = people_services.create_person(
        actor=None, name="培训矩阵结业", region=county_b, id_number=_valid("51070319950101009")
    )
    completed, _c = services.enrol(session, done, actor=None)
    services.set_attendance(completed, actor=None, attended=True)
    ctx["completed_b"] = services.complete(completed, actor=None)


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


B = dict(city=404, county_a=404)
# An open session is readable by everyone signed in: other officers are refused (403)
# the management of it, not kept from seeing it.
OPEN_B = dict(city=403, county_a=403)
API = dict(anonymous=401)
NEW_COURSE = {"title": "矩阵新课程", "audience": "explainer", "hours": "6", "credit": "0",
              "region": "510104"}  # fmt: skip
BOTH_B = ("province", "county_b")

TRAINING_ROWS = [
    Row("training-courses", "people:course_list", expect=officers(200, member=200)),
    Row("training-course-new", "people:course_create", expect=officers(200)),
    Row("training-course-new-post", "people:course_create", "post", data=lambda c: NEW_COURSE,
        expect=officers(302, county_b=400), changes=("province", "city", "county_a")),
    Row("training-course-export", "people:course_export", expect=officers(200)),
    Row("training-course-b", "people:course_detail", kwargs=_id("course_b"),
        expect=officers(200, member=404, **B)),
    Row("training-course-edit-b", "people:course_update", kwargs=_id("course_b"),
        expect=officers(200, **B)),
    Row("training-session-new-b", "people:session_create", kwargs=_id("course_b"),
        expect=officers(200, **B)),
    Row("training-bases", "people:base_list", expect=officers(200, member=200)),
    Row("training-base-recognize-b", "people:base_recognize", "post", kwargs=_id("tbase_b"),
        expect=officers(302, **B), changes=BOTH_B),
    Row("training-sessions", "people:session_list",
        expect=officers(200, member=200, volunteer=200)),
    Row("training-session-b", "people:session_detail", kwargs=_id("session_b"),
        expect=officers(200, member=200, volunteer=200)),
    Row("training-session-enrol-b", "people:session_detail", "post", kwargs=_id("session_b"),
        data=lambda c: {"person": str(c["trainee_b"].pk)},
        expect=officers(302, member=403, **OPEN_B), changes=BOTH_B),
    Row("training-session-step-b", "people:session_step", "post",
        kwargs=lambda c: {"pk": c["session_b"].pk, "step": "close"},
        expect=officers(302, **OPEN_B), changes=BOTH_B),
    Row("training-session-enrol-me-b", "people:session_enrol_self", "post",
        kwargs=_id("session_b"), expect=statuses(403, anonymous=302, volunteer=302),
        changes=("volunteer",)),
    Row("training-session-complete-b", "people:session_complete_all", "post",
        kwargs=_id("session_b"), expect=officers(302, **OPEN_B), changes=BOTH_B),
    Row("training-withdraw-b", "people:enrolment_withdraw", "post", kwargs=_id("enrolment_b"),
        expect=officers(302, member=404, volunteer=404, **B), changes=BOTH_B),
    Row("training-attend-b", "people:enrolment_attend", "post", kwargs=_id("enrolment_b"),
        data=lambda c: {"attended": "1"}, expect=officers(302, **B), changes=BOTH_B),
    Row("training-complete-b", "people:enrolment_complete", "post", kwargs=_id("attended_b"),
        expect=officers(302, **B), changes=BOTH_B),
    Row("training-certificate-b", "people:certificate_pdf", kwargs=_id("completed_b"),
        expect=officers(200, member=404, volunteer=404, **B)),
    Row("training-mine", "people:my_training", expect=officers(200, member=200, volunteer=200)),
    Row("training-stats", "people:training_stats", expect=officers(200)),
    Row("training-stats-export", "people:training_stats_export", expect=officers(200)),
    Row("training-verify", "people:certificate_verify", expect=statuses(200)),
    Row("api-training-courses", "api:course-list", expect=officers(200, member=200, **API)),
    Row("api-training-courses-post", "api:course-list", "post", json=True,
        data=lambda c: NEW_COURSE, expect=officers(201, county_b=400, **API),
        changes=("province", "city", "county_a")),
    Row("api-training-course-b", "api:course-detail", kwargs=_id("course_b"),
        expect=officers(200, member=404, **API, **B)),
    Row("api-training-sessions", "api:trainingsession-list",
        expect=officers(200, member=200, volunteer=200, **API)),
    Row("api-training-session-b", "api:trainingsession-detail", kwargs=_id("session_b"),
        expect=officers(200, member=200, volunteer=200, **API)),
    Row("api-training-enrol-b", "api:trainingsession-enrol", "post", kwargs=_id("session_b"),
        json=True, data=lambda c: {"person": c["trainee_b"].pk},
        expect=officers(201, **API, **OPEN_B), changes=BOTH_B),
    Row("api-training-enrolments", "api:enrolment-list",
        expect=officers(200, member=200, volunteer=200, **API)),
    Row("api-training-enrolment-b", "api:enrolment-detail", kwargs=_id("enrolment_b"),
        expect=officers(200, member=404, volunteer=404, **API, **B)),
    Row("api-training-attend-b", "api:enrolment-attend", "post", kwargs=_id("enrolment_b"),
        json=True, data=lambda c: {"attended": True}, expect=officers(200, **API, **B),
        changes=BOTH_B),
    Row("api-training-complete-b", "api:enrolment-complete", "post", kwargs=_id("attended_b"),
        json=True, expect=officers(200, **API, **B), changes=BOTH_B),
]  # fmt: skip
