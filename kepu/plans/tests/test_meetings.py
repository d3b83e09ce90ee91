"""Joint-conference meetings (issue 26): a meeting with the units present, a decision
that assigns work becomes a plan task with its lead and responsible units (in the
conference's plan of assigned work, or a plan chosen), minutes, the member unit's page,
and the refusals, through HTTP as the shared personas."""

import datetime

import pytest
from django.urls import reverse

from kepu.core.testing import fingerprint
from kepu.plans import services
from kepu.plans.models import Meeting, MeetingDecision, Task
from kepu.plans.tests.helpers import make_plan, org, pdf_upload, region

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def conference_b():
    return services.create_conference(
        actor=None,
        name="涪城区联席会议",
        region=region("510703"),
        office="涪城区科学技术协会",
        members=[org("涪城区科学技术协会"), org("绵阳南山中学")],
    )


def test_a_meeting_is_recorded_with_the_units_present(as_persona):
    conference = conference_b()
    client = english(as_persona("county_b"))
    url = reverse("plans:meeting_create", args=[conference.pk])
    response = client.post(
        url,
        {
            "title": "第一次全体会议",
            "date": "2026-03-01",
            "place": "涪城区科协",
            "topics": "通报工作\n部署科普日",
            "present": [org("绵阳南山中学").pk],
            "attendees": "绵阳南山中学 王校长",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(conference=conference)
    assert meeting.number == 1 and meeting.topic_list() == ["通报工作", "部署科普日"]
    assert list(meeting.present.values_list("name", flat=True)) == ["绵阳南山中学"]
    page = client.get(reverse("plans:meeting_detail", args=[meeting.pk])).content.decode()
    assert "绵阳南山中学 王校长" in page and "部署科普日" in page
    # No topics: refused, nothing written.
    before = fingerprint()
    refused = client.post(url, {"title": "空会", "date": "2026-04-01", "topics": " "})
    assert refused.status_code == 400
    assert fingerprint() == before


def test_a_decision_assigning_work_creates_a_supervised_task(as_persona):
    conference = conference_b()
    meeting = services.create_meeting(
        conference, actor=None, title="第一次会议", date=datetime.date(2026, 3, 1), topics="部署"
    )  # fmt: skip
    client = english(as_persona("county_b"))
    response = client.post(
        reverse("plans:decision_create", args=[meeting.pk]),
        {
            "text": "开展科普日系列活动",
            "lead_unit": "涪城区科学技术协会",
            "responsible_units": "绵阳南山中学",
            "deadline": "2026-09-30",
        },
    )
    assert response.status_code == 302
    decision = MeetingDecision.objects.get(meeting=meeting)
    task = decision.task
    conference.refresh_from_db()
    assert task.plan == conference.decisions_plan and task.plan.status == "published"
    assert task.plan.period_start.year == 2026 and task.section.title.startswith("Meeting 1")
    units = [(u.organization.name, u.is_lead) for u in task.units.order_by("position")]
    assert units == [("涪城区科学技术协会", True), ("绵阳南山中学", False)]
    # The lead unit's page lists the decision and the task.
    unit = org("涪城区科学技术协会")
    page = client.get(reverse("plans:unit_detail", args=[unit.pk])).content.decode()
    assert "开展科普日系列活动" in page and reverse("plans:task_detail", args=[task.pk]) in page
    # A second decision of the same meeting goes into the same plan and section.
    client.post(
        reverse("plans:decision_create", args=[meeting.pk]),
        {"text": "报送活动方案", "lead_unit": "绵阳南山中学"},
    )
    second = MeetingDecision.objects.get(meeting=meeting, number=2)
    assert (second.task.plan_id, second.task.section_id) == (task.plan_id, task.section_id)


def test_a_decision_can_go_into_a_chosen_plan_and_refuses_strangers(as_persona):
    conference = conference_b()
    meeting = services.create_meeting(
        conference, actor=None, title="会议", date=datetime.date(2026, 3, 1),
        topics="议题",
    )  # fmt: skip
    plan = make_plan(
        code="510703", title="涪城区科普工作要点", issuer="涪城区科学技术协会",
        lead="涪城区科学技术协会", responsible=(),
    )  # fmt: skip
    client = english(as_persona("county_b"))
    url = reverse("plans:decision_create", args=[meeting.pk])
    client.post(url, {"text": "纳入年度要点", "lead_unit": "绵阳南山中学", "plan": plan.pk})
    assert MeetingDecision.objects.get(meeting=meeting).task.plan == plan
    before = fingerprint()
    refused = client.post(url, {"text": "越界", "lead_unit": "锦江区科学技术协会"})
    assert refused.status_code == 400
    assert "is not a unit of this region you can see" in refused.content.decode()
    refused = client.post(url, {"text": "无牵头", "responsible_units": "绵阳南山中学"})
    assert "Work assigned needs a lead unit." in refused.content.decode()
    assert fingerprint() == before
    # A decision without work assigned has no task.
    client.post(url, {"text": "原则通过工作要点"})
    assert MeetingDecision.objects.get(meeting=meeting, number=2).task is None
    assert Task.objects.filter(plan=plan).count() == 2


def test_minutes_are_checked_and_other_counties_are_refused(as_persona):
    conference = conference_b()
    meeting = services.create_meeting(
        conference, actor=None, title="会议", date=datetime.date(2026, 3, 1),
        topics="议题",
    )  # fmt: skip
    client = english(as_persona("county_b"))
    url = reverse("plans:minutes_upload", args=[meeting.pk])
    assert client.post(url, {"files": pdf_upload("纪要.pdf")}).status_code == 302
    row = meeting.minutes.get()
    download = client.get(reverse("plans:minutes_download", args=[meeting.pk, row.pk]))
    assert download.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = fingerprint()
    fake = SimpleUploadedFile("纪要.pdf", b"not a pdf", content_type="application/pdf")
    assert client.post(url, {"files": fake}).status_code == 400
    county_a = as_persona("county_a")
    assert county_a.post(url, {"files": pdf_upload()}).status_code == 404
    assert county_a.get(reverse("plans:meeting_detail", args=[meeting.pk])).status_code == 404
    assert fingerprint() == before


def test_the_member_unit_sees_its_conference_and_the_api_lists_meetings(as_persona):
    conference = services.create_conference(
        actor=None, name="省联席会议", region=region("51"),
        members=[org("四川省教育厅"), org("四川省科学技术协会")],
    )  # fmt: skip
    meeting = services.create_meeting(
        conference, actor=None, title="省第一次会议", date=datetime.date(2026, 2, 1),
        topics="议题", present=[org("四川省教育厅")],
    )  # fmt: skip
    services.add_decision(meeting, actor=None, text="开展教师科学素质培训",
                          lead_unit=org("四川省教育厅"))  # fmt: skip
    member = as_persona("member")
    assert member.get(reverse("plans:meeting_detail", args=[meeting.pk])).status_code == 200
    mine = member.get(reverse("plans:unit_mine"))
    assert mine.status_code == 302
    assert "开展教师科学素质培训" in member.get(mine.url).content.decode()
    rows = as_persona("province").get(reverse("api:plan-meeting-list"), {"year": 2026}).json()
    found = [r for r in rows["results"] if r["id"] == meeting.pk]
    assert found and found[0]["present"] == ["四川省教育厅"]
    assert found[0]["decisions"][0]["task"] is not None


def test_a_meeting_is_corrected_with_its_trail_and_refusals_change_nothing(as_persona):
    from kepu.core.models import AuditEntry

    conference = conference_b()
    meeting = services.create_meeting(
        conference, actor=None, title="第一次会议", date=datetime.date(2026, 3, 1),
        topics="议题一", present=[org("涪城区科学技术协会")],
    )  # fmt: skip
    other = services.create_meeting(
        conference, actor=None, title="第二次会议", date=datetime.date(2026, 4, 1), topics="议题"
    )
    client = english(as_persona("county_b"))
    detail = client.get(reverse("plans:meeting_detail", args=[meeting.pk])).content.decode()
    url = reverse("plans:meeting_update", args=[meeting.pk])
    assert url in detail
    form = client.get(url).content.decode()
    assert "第一次会议" in form and "Correct the meeting" in form
    data = {
        "title": "第一次全体会议",
        "date": "2026-03-02",
        "place": "涪城区科协",
        "topics": "议题一\n议题二",
        "present": [org("绵阳南山中学").pk],
        "number": "1",
    }
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "第一次全体会议" and meeting.topic_list() == ["议题一", "议题二"]
    assert list(meeting.present.values_list("name", flat=True)) == ["绵阳南山中学"]
    entry = AuditEntry.objects.filter(action="plans.meeting.updated").latest("pk")
    assert entry.changes["title"] == ["第一次会议", "第一次全体会议"]
    assert entry.changes["present"] == [["涪城区科学技术协会"], ["绵阳南山中学"]]
    # Another meeting's number, no topics, another county, the member unit: nothing changes.
    before = fingerprint()
    taken = client.post(url, {**data, "number": str(other.number)})
    assert taken.status_code == 400 and "already has a meeting" in taken.content.decode()
    assert client.post(url, {**data, "topics": " "}).status_code == 400
    assert as_persona("county_a").post(url, data).status_code == 404
    assert as_persona("member").post(url, data).status_code == 403
    assert fingerprint() == before


def test_a_decision_is_corrected_with_its_trail_and_its_task_is_kept(as_persona):
    from kepu.core.models import AuditEntry

    conference = conference_b()
    meeting = services.create_meeting(
        conference, actor=None, title="第三次会议", date=datetime.date(2026, 5, 1), topics="议题"
    )
    decision = services.add_decision(
        meeting, actor=None, text="各单位报送方案", lead_unit=org("绵阳南山中学")
    )
    client = english(as_persona("county_b"))
    url = reverse("plans:decision_update", args=[meeting.pk, decision.number])
    assert url in client.get(reverse("plans:meeting_detail", args=[meeting.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "各单位报送方案" in page and "the task keeps its own title" in page
    assert client.post(url, {"text": "各成员单位于6月底前报送方案"}).status_code == 302
    decision.refresh_from_db()
    assert decision.text == "各成员单位于6月底前报送方案"
    assert decision.task.title == "各单位报送方案"  # the task is corrected on its own page
    entry = AuditEntry.objects.filter(action="plans.meetingdecision.updated").get()
    assert entry.changes == {"text": ["各单位报送方案", "各成员单位于6月底前报送方案"]}
    # Empty wording, another county, the member unit, a decision that does not exist.
    before = fingerprint()
    assert client.post(url, {"text": "  "}).status_code == 400
    assert as_persona("county_a").post(url, {"text": "改"}).status_code == 404
    assert as_persona("member").post(url, {"text": "改"}).status_code == 403
    missing = reverse("plans:decision_update", args=[meeting.pk, decision.number + 1])
    assert client.get(missing).status_code == 404
    assert fingerprint() == before
