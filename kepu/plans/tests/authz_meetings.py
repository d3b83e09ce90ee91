"""Joint-conference rows of the authorization matrix (issue 26), over the objects made
here: `conference_b` of county B (涪城区) with a meeting, a decision assigning a task to
涪城区科学技术协会 and minutes; `conference_p` of the province with the member persona's
unit (四川省教育厅) as a member. Collected by `authz.py`."""

import datetime

from kepu.core.testing import Row, officers
from kepu.plans import services
from kepu.plans.tests.helpers import org, pdf_upload, region


def context(ctx):
    today = datetime.date.today()
    ctx["conference_b"] = services.create_conference(
        actor=None,
        name="涪城区科普工作联席会议",
        region=region("510703"),
        office="涪城区科学技术协会",
        members=[org("涪城区科学技术协会"), org("绵阳南山中学")],
    )
    ctx["meeting_b"] = services.create_meeting(
        ctx["conference_b"],
        actor=None,
        title="2026年第一次全体会议",
        date=today,
        place="涪城区科协会议室",
        topics="通报科普工作进展\n部署科普日活动",
        present=[org("涪城区科学技术协会")],
    )
    ctx["decision_b"] = services.add_decision(
        ctx["meeting_b"],
        actor=None,
        text="组织开展全国科普日涪城区系列活动",
        lead_unit=org("涪城区科学技术协会"),
        responsible_units=[org("绵阳南山中学")],
    )
    ctx["minutes_b"] = services.add_minutes(
        ctx["meeting_b"], actor=None, files=[pdf_upload("会议纪要.pdf")]
    )[0]
    ctx["conference_p"] = services.create_conference(
        actor=None,
        name="四川省全民科学素质工作联席会议",
        region=region("51"),
        members=[org("四川省教育厅"), org("四川省科学技术协会")],
    )
    ctx["meeting_p"] = services.create_meeting(
        ctx["conference_p"], actor=None, title="省联席会议", date=today, topics="年度要点"
    )


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _decision(key):
    return lambda ctx: {"pk": ctx[key].meeting_id, "number": ctx[key].number}


B_ONLY = {"city": 404, "county_a": 404}
P_ONLY = {"city": 404, "county_a": 404, "county_b": 404}
API = {"anonymous": 401}
NEW_CONFERENCE = {
    "name": "锦江区科普联席会议",
    "region": "510104",
    "office": "锦江区科学技术协会",
    "members_text": "锦江区科学技术协会\n成都石室中学",
}
NEW_MEETING = {"title": "第二次会议", "date": "2026-06-01", "topics": "研究科普月活动"}

MEETING_ROWS = [
    Row("conferences", "plans:conference_list", expect=officers(200, member=200)),
    Row("conference-post", "plans:conference_list", "post", data=lambda c: NEW_CONFERENCE,
        expect=officers(302, county_b=400, member=403), changes=("province", "city", "county_a")),
    Row("conference-b", "plans:conference_detail", kwargs=_id("conference_b"),
        expect=officers(200, member=404, **B_ONLY)),
    Row("meeting-new", "plans:meeting_create", kwargs=_id("conference_b"),
        expect=officers(200, **B_ONLY)),
    Row("meeting-new-post", "plans:meeting_create", "post", kwargs=_id("conference_b"),
        data=lambda c: NEW_MEETING, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("meetings", "plans:meeting_list", expect=officers(200, member=200)),
    Row("meetings-export", "plans:meeting_export", expect=officers(200)),
    Row("meeting-b", "plans:meeting_detail", kwargs=_id("meeting_b"),
        expect=officers(200, member=404, **B_ONLY)),
    Row("meeting-p", "plans:meeting_detail", kwargs=_id("meeting_p"),
        expect=officers(200, member=200, **P_ONLY)),
    Row("meeting-edit", "plans:meeting_update", kwargs=_id("meeting_b"),
        expect=officers(200, **B_ONLY)),
    Row("meeting-edit-post", "plans:meeting_update", "post", kwargs=_id("meeting_b"),
        data=lambda c: {**NEW_MEETING, "title": "2026年第一次全体会议（更正）"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("decision-new", "plans:decision_create", kwargs=_id("meeting_b"),
        expect=officers(200, **B_ONLY)),
    Row("decision-new-post", "plans:decision_create", "post", kwargs=_id("meeting_b"),
        data=lambda c: {"text": "各成员单位报送科普日活动方案", "lead_unit": "绵阳南山中学"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("decision-edit", "plans:decision_update", kwargs=_decision("decision_b"),
        expect=officers(200, **B_ONLY)),
    Row("decision-edit-post", "plans:decision_update", "post", kwargs=_decision("decision_b"),
        data=lambda c: {"text": "各成员单位报送科普日活动方案（更正）"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("minutes-upload", "plans:minutes_upload", "post", kwargs=_id("meeting_b"),
        data=lambda c: {"files": pdf_upload("签到表.pdf")}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("minutes-download", "plans:minutes_download",
        kwargs=lambda c: {"pk": c["meeting_b"].pk, "file_pk": c["minutes_b"].pk},
        expect=officers(200, member=404, **B_ONLY)),
    Row("unit-mine", "plans:unit_mine", expect=officers(404, member=302)),
    Row("unit-b", "plans:unit_detail", kwargs=lambda c: {"pk": c["decision_b"].task.units.get(
        is_lead=True).organization_id}, expect=officers(200, member=404, **B_ONLY)),
    Row("api-conferences", "api:plan-conference-list", expect=officers(200, member=200, **API)),
    Row("api-conference-b", "api:plan-conference-detail", kwargs=_id("conference_b"),
        expect=officers(200, member=404, **API, **B_ONLY)),
    Row("api-meetings", "api:plan-meeting-list", expect=officers(200, member=200, **API)),
    Row("api-meeting-b", "api:plan-meeting-detail", kwargs=_id("meeting_b"),
        expect=officers(200, member=404, **API, **B_ONLY)),
]  # fmt: skip
