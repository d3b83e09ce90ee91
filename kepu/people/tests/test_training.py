"""Training as a process, through HTTP: a course and its session, enrolment with a
waiting list (a double submission enrols once), withdrawal and promotion, attendance,
completion writing the person's training record and credits, the certificate and its
public check, self-enrolment, four-eyes on training bases, statistics and the plan
indicator, and the refusals (which change nothing)."""

import datetime
import re

import pytest
from django.urls import reverse

from kepu.core import clock, rollups
from kepu.core.models import Region
from kepu.people import services as people_services
from kepu.people import training_services as services
from kepu.people.models import (
    Course,
    CreditEntry,
    Enrolment,
    Person,
    TrainingBase,
    TrainingSession,
)
from kepu.people.rollups import TRAINING_COMPLETIONS
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


def token(response) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', response.content.decode()).group(1)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def person(name, body17, code="510104"):
    return people_services.create_person(
        actor=None, name=name, id_number=valid_id(body17), region=Region.objects.get(code=code)
    )


def open_session(code="510104", capacity=1, audience="tutor"):
    course = services.create_course(
        actor=None,
        title="科学辅导员培训班",
        audience=audience,
        hours=16,
        credit=2,
        region=Region.objects.get(code=code),
    )
    today = clock.today()
    session = services.create_session(
        course,
        actor=None,
        name="第一期",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
        capacity=capacity,
    )
    return services.step_session(session, "open", actor=None)


def test_an_officer_runs_a_course_from_creation_to_certificate(as_persona, client):
    officer = english(as_persona("county_a"))
    page = officer.get(reverse("people:course_create"))
    assert page.status_code == 200
    response = officer.post(
        reverse("people:course_create"),
        {
            "title": "科学辅导员能力提升测试班",
            "topic": "青少年科学教育",
            "audience": "tutor",
            "hours": "24",
            "credit": "2",
            "region": "510104",
            "form_token": token(page),
        },
    )
    course = Course.objects.get(title="科学辅导员能力提升测试班")
    assert response.status_code == 302 and response.url == reverse(
        "people:course_detail", args=[course.pk]
    )
    today = clock.today()
    page = officer.get(reverse("people:session_create", args=[course.pk]))
    response = officer.post(
        reverse("people:session_create", args=[course.pk]),
        {
            "name": "2026年第一期",
            "place": "锦江区科技馆",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
            "capacity": "1",
            "form_token": token(page),
        },
    )
    session = TrainingSession.objects.get(course=course)
    assert response.status_code == 302 and session.status == "draft"
    assert session.region.code == "510104"
    officer.post(reverse("people:session_step", args=[session.pk, "open"]))
    session.refresh_from_db()
    assert session.status == "open"

    first, second = person("培训甲", "51010419900101101"), person("培训乙", "51010419900101202")
    url = reverse("people:session_detail", args=[session.pk])
    page = officer.get(url)
    assert page.status_code == 200 and "Enrol a registered person" in page.content.decode()
    data = {"person": valid_id("51010419900101101"), "form_token": token(page)}
    assert officer.post(url, data).status_code == 302
    assert officer.post(url, data).status_code == 302  # the double submission
    response = officer.post(url, {"person": str(second.pk), "form_token": token(page) + "0"})
    assert Enrolment.objects.filter(session=session).count() == 2
    one = Enrolment.objects.get(session=session, person=first)
    two = Enrolment.objects.get(session=session, person=second)
    assert (one.status, two.status) == ("enrolled", "waiting")

    # The first withdraws: the waiting list moves up.
    officer.post(reverse("people:enrolment_withdraw", args=[one.pk]))
    two.refresh_from_db()
    session.refresh_from_db()
    assert two.status == "enrolled"
    assert (session.enrolled_count, session.waiting_count) == (1, 0)

    # Completion needs attendance first; the refusal changes nothing.
    response = officer.post(reverse("people:enrolment_complete", args=[two.pk]), follow=True)
    assert "attendance before completing" in response.content.decode()
    two.refresh_from_db()
    assert two.status == "enrolled"
    officer.post(reverse("people:enrolment_attend", args=[two.pk]), {"attended": "1"})
    officer.post(reverse("people:session_complete_all", args=[session.pk]))
    two.refresh_from_db()
    assert two.status == "completed" and two.certificate_number.startswith("PX")
    # The person's history and credits come from the completion.
    assert two.training.hours == 24 and two.training.person_id == second.pk
    assert CreditEntry.objects.get(pk=two.credit_entry_id).credits == 2
    detail = officer.get(reverse("people:person_detail", args=[second.pk])).content.decode()
    assert "科学辅导员能力提升测试班" in detail
    assert rollups.total(TRAINING_COMPLETIONS, None, keys=["tutor"]) >= 1
    assert rollups.reconcile(TRAINING_COMPLETIONS, fix=False) == []

    pdf = officer.get(reverse("people:certificate_pdf", args=[two.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    check = english(client).get(
        reverse("people:certificate_verify"), {"number": two.certificate_number}
    )
    assert check.status_code == 200
    text = check.content.decode()
    assert "This certificate is genuine." in text and "培*" in text and "培训乙" not in text
    missing = client.get(reverse("people:certificate_verify"), {"number": "PX0000"})
    assert missing.status_code == 404


def test_a_registered_person_enrols_themselves_once_and_sees_their_training(as_persona):
    session = open_session(code="510703", capacity=5)
    volunteer = english(as_persona("volunteer"))
    page = volunteer.get(reverse("people:session_detail", args=[session.pk]))
    assert page.status_code == 200 and "Enrol me" in page.content.decode()
    url = reverse("people:session_enrol_self", args=[session.pk])
    data = {"form_token": token(page)}
    assert volunteer.post(url, data).status_code == 302
    assert volunteer.post(url, data).status_code == 302
    own = Person.objects.get(user__username="demo-volunteer")
    enrolment = Enrolment.objects.get(session=session, person=own)
    assert enrolment.self_enrolled and enrolment.status == "enrolled"
    mine = volunteer.get(reverse("people:my_training"))
    assert mine.status_code == 200 and "科学辅导员培训班" in mine.content.decode()
    # The volunteer does not manage the session: no roll, no officer's enrolment.
    assert "Enrol a registered person" not in page.content.decode()
    volunteer.post(reverse("people:enrolment_withdraw", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"


def test_another_county_reaches_nothing_and_changes_nothing(as_persona):
    session = open_session(code="510104")
    session.status = "closed"
    TrainingSession.objects.filter(pk=session.pk).update(status="closed")
    someone = person("外县甲", "51010419900101303")
    services.step_session(session, "open", actor=None)
    enrolment, _created = services.enrol(session, someone, actor=None)
    county_b = as_persona("county_b")
    assert (
        county_b.get(reverse("people:course_detail", args=[session.course_id])).status_code == 404
    )
    for name, pk in (
        ("people:enrolment_attend", enrolment.pk),
        ("people:enrolment_complete", enrolment.pk),
        ("people:enrolment_withdraw", enrolment.pk),
    ):
        assert county_b.post(reverse(name, args=[pk]), {"attended": "1"}).status_code == 404
    TrainingSession.objects.filter(pk=session.pk).update(status="closed")
    assert (
        county_b.post(reverse("people:session_step", args=[session.pk, "open"])).status_code == 404
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended) == ("enrolled", False)
    assert TrainingSession.objects.get(pk=session.pk).status == "closed"


def test_a_draft_session_takes_no_enrolment(as_persona):
    session = open_session()
    TrainingSession.objects.filter(pk=session.pk).update(status="draft")
    officer = english(as_persona("county_a"))
    page = officer.get(reverse("people:session_detail", args=[session.pk]))
    response = officer.post(
        reverse("people:session_detail", args=[session.pk]),
        {"person": valid_id("51010419900101101"), "form_token": token(page)},
    )
    assert response.status_code == 400  # no such person in scope (nothing registered)
    person("草稿甲", "51010419900101404")
    response = officer.post(
        reverse("people:session_detail", args=[session.pk]),
        {"person": valid_id("51010419900101404"), "form_token": token(page) + "1"},
    )
    assert response.status_code == 400
    assert "not taking enrolments" in response.content.decode()
    assert not Enrolment.objects.filter(session=session).exists()


def test_a_training_base_is_recognized_by_another_officer(as_persona):
    county_a = english(as_persona("county_a"))
    page = county_a.get(reverse("people:base_list"))
    county_a.post(
        reverse("people:base_list"),
        {"name": "锦江区科普培训基地", "region": "510104", "capacity": "80",
         "form_token": token(page)},
    )  # fmt: skip
    base = TrainingBase.objects.get(name="锦江区科普培训基地")
    assert base.status == "proposed"
    # Four-eyes: no button for the proposer, and the step itself is refused.
    assert ">Recognize</button>" not in county_a.get(reverse("people:base_list")).content.decode()
    refused = county_a.post(reverse("people:base_recognize", args=[base.pk]), follow=True)
    assert "another officer must approve it" in refused.content.decode()
    base.refresh_from_db()
    assert base.status == "proposed"
    province = as_persona("province")
    assert province.post(reverse("people:base_recognize", args=[base.pk])).status_code == 302
    base.refresh_from_db()
    assert base.status == "recognized"


def test_statistics_and_the_plan_indicator_count_completions(as_persona):
    from kepu.plans import indicators

    session = open_session(capacity=3)
    for i, body in enumerate(("51010419900101505", "51010419900101606")):
        enrolment, _c = services.enrol(session, person(f"统计{i}", body), actor=None)
        services.set_attendance(enrolment, actor=None, attended=True)
    assert services.complete_attended(session, actor=None) == 2
    officer = english(as_persona("city"))
    page = officer.get(reverse("people:training_stats"), {"region": "5101"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Training completions in" in text and "锦江区" in text
    export = officer.get(reverse("people:training_stats_export"), {"region": "5101"})
    assert export.status_code == 200
    indicator = {i.code: i for i in indicators.INDICATORS}["people.science_tutors_trained"]
    chengdu = Region.objects.get(code="5101")
    today = clock.today()
    counts = indicator.for_regions([chengdu], today - datetime.timedelta(days=400), today)
    assert counts[chengdu.pk] >= 2


def test_the_lists_and_the_api(as_persona):
    session = open_session()
    officer = as_persona("county_a")
    for name in ("people:course_list", "people:session_list", "people:my_training"):
        assert officer.get(reverse(name)).status_code == 200
    assert officer.get(reverse("people:course_export")).status_code == 200
    someone = person("接口甲", "51010419900101707")
    response = officer.post(
        reverse("api:trainingsession-enrol", args=[session.pk]),
        {"person": someone.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "enrolled"
    again = officer.post(
        reverse("api:trainingsession-enrol", args=[session.pk]),
        {"person": someone.pk},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    pk = response.json()["id"]
    refused = officer.post(reverse("api:enrolment-complete", args=[pk]))
    assert refused.status_code == 400 and refused.json()["code"] == "refused"
    officer.post(
        reverse("api:enrolment-attend", args=[pk]), {"attended": True},
        content_type="application/json",
    )  # fmt: skip
    done = officer.post(reverse("api:enrolment-complete", args=[pk]))
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert officer.post(reverse("api:enrolment-complete", args=[pk])).status_code == 409
    listed = officer.get(reverse("api:trainingsession-list"), {"status": "open"})
    assert listed.status_code == 200
    assert session.pk in [row["id"] for row in listed.json()["results"]]
    county_b = as_persona("county_b")
    assert county_b.get(reverse("api:enrolment-detail", args=[pk])).status_code == 404
