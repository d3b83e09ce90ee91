"""People-registry rows of the authorization matrix (collected by kepu/core/tests)."""

from kepu.core.models import Region
from kepu.core.pii import id_check_char
from kepu.core.testing import Row, officers, statuses
from kepu.people import services
from kepu.people.choices import PoolKind, RegistrationStatus
from kepu.people.models import Person
from kepu.people.tests import authz_teams
from kepu.people.tests.authz_training import TRAINING_ROWS, training_context


def valid_id(body17: str) -> str:
    return body17 + id_check_char(body17)


def context(ctx):
    """Objects in county B (涪城区) that county A must never reach."""
    county_b = Region.objects.get(code="510703")
    person = services.create_person(
        actor=None,
        name="矩阵乙",
        id_number=valid_id("51070319900101123"),
        phone="13900001111",
        region=county_b,
    )
    applicant = services.create_person(
        actor=None, name="矩阵申请人", id_number=valid_id("51070319850505234"), region=county_b
    )
    ctx["person_b"] = person
    ctx["reg_b"] = services.add_registration(
        applicant, actor=None, kind="volunteer", status=RegistrationStatus.PENDING
    )
    ctx["pool_b"] = services.create_pool(
        actor=None, name="涪城区应急科普专家库", kind=PoolKind.EMERGENCY, region=county_b
    )
    ctx["member_b"] = services.add_pool_member(
        ctx["pool_b"], applicant, actor=None, topics=["earthquake"]
    )
    ctx["team_b"] = services.create_team(actor=None, name="涪城区矩阵服务队", region=county_b)
    ctx["own"] = Person.objects.get(user__username="demo-volunteer")
    # A person with both identifiers in county A too: every page of either county has
    # numbers to mask (the matrix searches every page for unmasked ones).
    ctx["person_a"] = services.create_person(
        actor=None,
        name="矩阵甲",
        id_number=valid_id("51010419880808001"),
        phone="13812345678",
        region=Region.objects.get(code="510104"),
    )
    training_context(ctx)
    authz_teams.context(ctx)
    officer_context(ctx)


def officer_context(ctx):
    """Information officers in counties A and B, an activity of B's, the latest month."""
    import datetime

    from kepu.people.officer_months import compute_month
    from kepu.people.officers import record_activity

    for key, code, body in (("officer_a", "510104", "51010419910303003"),
                            ("officer_b", "510703", "51070319910303004")):  # fmt: skip
        person = services.create_person(
            actor=None, name=f"信息员{key[-1]}", id_number=valid_id(body),
            region=Region.objects.get(code=code),
        )  # fmt: skip
        services.add_registration(person, actor=None, kind="info_officer")
        ctx[key] = person
    ctx["activity_b"], _created = record_activity(
        ctx["officer_b"], actor=None, date=datetime.date(2026, 11, 3), channel="wechat",
        title="矩阵科普文章", views=100, shares=5,
    )  # fmt: skip
    ctx["month"] = datetime.date(2026, 11, 1)
    compute_month(ctx["month"])


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


PEOPLE_VIEWERS = dict(member=200, volunteer=200)
B_ONLY = dict(city=404, county_a=404)
API = dict(anonymous=401)
NEW_PERSON = {
    "name": "矩阵新人",
    "doc_type": "id",
    "id_number": valid_id("51010419920202003"),
    "region": "510104",
    "title_level": "none",
}
APPLICATION = {
    "name": "公众申请人",
    "doc_type": "id",
    "id_number": valid_id("51010420000101001"),
    "phone": "13700001234",
    "region": "510104",
    "consent": "on",
}

ROWS = [
    Row("people-list", "people:person_list", expect=officers(200, **PEOPLE_VIEWERS)),
    Row("people-new", "people:person_create", expect=officers(200)),
    Row("people-new-post", "people:person_create", "post", data=lambda c: NEW_PERSON,
        expect=officers(302, county_b=400), changes=("province", "city", "county_a")),
    Row("people-export", "people:person_export", expect=officers(200)),
    Row("people-detail-b", "people:person_detail", kwargs=_id("person_b"),
        expect=officers(200, member=404, volunteer=404, **B_ONLY)),
    Row("people-detail-own", "people:person_detail", kwargs=_id("own"),
        expect=officers(200, county_b=404, member=404, volunteer=200)),
    Row("people-edit-b", "people:person_update", kwargs=_id("person_b"),
        expect=officers(200, **B_ONLY)),
    Row("people-edit-b-post", "people:person_update", "post", kwargs=_id("person_b"),
        data=lambda c: {"name": "矩阵乙改", "doc_type": "id", "region": "510703",
                        "title_level": "none"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("people-reveal-b", "people:person_reveal", "post", kwargs=_id("person_b"),
        data=lambda c: {"reason": "核实志愿者保险信息"}, expect=statuses(403, anonymous=302,
                                                                    province=200)),
    Row("people-erase-b", "people:person_erase", "post", kwargs=_id("person_b"),
        data=lambda c: {"reason": "本人申请 2025-001"}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("people-records-b", "people:person_records", kwargs=_id("person_b"),
        expect=officers(200, **B_ONLY)),
    Row("people-reg-add", "people:registration_add", "post", kwargs=_id("person_b"),
        data=lambda c: {"kind": "expert", "start_date": "2025-01-01"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("people-pool-add", "people:pool_member_add", "post", kwargs=_id("person_b"),
        data=lambda c: {"pool": c["pool_b"].pk, "topics": ["flood"]},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("people-team-add", "people:team_member_add", "post", kwargs=_id("person_b"),
        data=lambda c: {"team": c["team_b"].pk}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("people-record-add", "people:record_add", "post",
        kwargs=lambda c: {"pk": c["person_b"].pk, "kind": "training"},
        data=lambda c: {"training-course": "应急科普培训", "training-hours": "8",
                        "training-date": "2025-03-01"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("people-review", "people:registration_list", expect=officers(200, **PEOPLE_VIEWERS)),
    Row("people-certify", "people:registration_certify", "post", kwargs=_id("reg_b"),
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("people-reject", "people:registration_reject", "post", kwargs=_id("reg_b"),
        data=lambda c: {"reason": "材料不全"}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("people-pools", "people:pool_list", expect=officers(200, member=200)),
    Row("people-pool", "people:pool_detail", kwargs=_id("pool_b"),
        expect=officers(200, member=200)),
    Row("people-experts", "people:expert_search", expect=officers(200)),
    Row("people-teams", "people:team_list", expect=officers(200, member=200, volunteer=200)),
    Row("people-team", "people:team_detail", kwargs=_id("team_b"),
        expect=officers(200, member=404, volunteer=404, **B_ONLY)),
    Row("people-stats", "people:stats", expect=officers(200)),
    Row("people-stats-export", "people:stats_export", expect=officers(200)),
    Row("people-population", "people:population_update", "post",
        data=lambda c: {"pop_510104": "600000"}, expect=officers(302),
        changes=("city",)),  # the form lists the children of the officer's own region
    Row("join-start", "people:join_start", expect=statuses(200)),
    Row("join-form", "people:join_form", kwargs=lambda c: {"kind": "volunteer"},
        expect=statuses(200)),
    Row("join-post", "people:join_form", "post", kwargs=lambda c: {"kind": "volunteer"},
        data=lambda c: APPLICATION, expect=statuses(302),
        changes=("anonymous", "province", "city", "county_a", "county_b", "member", "volunteer",
                 "sysadmin", "secadmin", "auditor")),
    Row("join-status", "people:join_status",
        kwargs=lambda c: {"token": c["reg_b"].tracking_token}, expect=statuses(200)),
    Row("api-people", "api:person-list", expect=officers(200, **API, **PEOPLE_VIEWERS)),
    Row("api-people-post", "api:person-list", "post", json=True, data=lambda c: NEW_PERSON,
        expect=officers(201, county_b=400, **API), changes=("province", "city", "county_a")),
    Row("api-person-b", "api:person-detail", kwargs=_id("person_b"),
        expect=officers(200, member=404, volunteer=404, **API, **B_ONLY)),
    Row("api-person-b-patch", "api:person-detail", "patch", kwargs=_id("person_b"), json=True,
        data=lambda c: {"specialties": "接口修改"}, expect=officers(200, **API, **B_ONLY),
        changes=("province", "county_b")),
    Row("api-person-reveal", "api:person-reveal", "post", kwargs=_id("person_b"), json=True,
        data=lambda c: {"reason": "核实身份信息"}, expect=statuses(403, province=200, **API)),
    Row("api-registrations", "api:registration-list",
        expect=officers(200, **API, **PEOPLE_VIEWERS)),
    Row("api-registration", "api:registration-detail", kwargs=_id("reg_b"),
        expect=officers(200, member=404, volunteer=404, **API, **B_ONLY)),
    Row("api-certify", "api:registration-certify", "post", kwargs=_id("reg_b"), json=True,
        expect=officers(200, **API, **B_ONLY), changes=("province", "county_b")),
    Row("api-reject", "api:registration-reject", "post", kwargs=_id("reg_b"), json=True,
        data=lambda c: {"reason": "材料不全"}, expect=officers(200, **API, **B_ONLY),
        changes=("province", "county_b")),
    Row("api-pools", "api:expertpool-list", expect=officers(200, member=200, **API)),
    Row("api-pool", "api:expertpool-detail", kwargs=_id("pool_b"),
        expect=officers(200, member=200, **API)),
    Row("api-experts", "api:expert-list", expect=officers(200, **API)),
    Row("api-expert", "api:expert-detail", kwargs=_id("member_b"),
        expect=officers(200, **API, **B_ONLY)),
    Row("api-teams", "api:team-list", expect=officers(200, member=200, volunteer=200, **API)),
    Row("api-team", "api:team-detail", kwargs=_id("team_b"),
        expect=officers(200, member=404, volunteer=404, **API, **B_ONLY)),
    Row("api-people-stats", "api:people-stats", expect=officers(200, **API)),
    *TRAINING_ROWS,
    # Information officers' work (issue 26).
    Row("officer-activity", "people:officer_activity_list", expect=officers(200, volunteer=200)),
    Row("officer-activity-export", "people:officer_activity_export", expect=officers(200)),
    Row("officer-rankings", "people:officer_rankings", expect=officers(200)),
    Row("officer-feedback", "people:officer_feedback", expect=officers(200)),
    Row("officer-feedback-export", "people:officer_feedback_export", expect=officers(200)),
    Row("officer-feedback-send", "people:officer_feedback_send", "post",
        data=lambda c: {"region": "5101", "month": f"{c['month']:%Y-%m}"},
        expect=officers(302, county_a=404, county_b=404), changes=("province", "city")),
    Row("api-officer-activities", "api:officeractivity-list",
        expect=officers(200, volunteer=200, **API)),
    Row("api-officer-activity-post", "api:officeractivity-list", "post", json=True,
        data=lambda c: {"person": c["officer_a"].pk, "date": "2026-11-02", "channel": "weibo",
                        "title": "接口录入", "views": 10, "shares": 1},
        expect=officers(201, county_b=400, volunteer=400, **API),
        changes=("province", "city", "county_a")),
    Row("api-officer-activity-b", "api:officeractivity-detail", kwargs=_id("activity_b"),
        expect=officers(200, volunteer=404, **API, **B_ONLY)),
]  # fmt: skip
ROWS += authz_teams.TEAM_ROWS

# Talent evaluation and the high-level talent service (their own module).
from kepu.people.tests import authz_talents  # noqa: E402

ROWS += authz_talents.ROWS
_registry_context = context


def context(ctx):  # noqa: F811
    _registry_context(ctx)
    authz_talents.context(ctx)
