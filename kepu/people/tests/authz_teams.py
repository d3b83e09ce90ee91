"""Volunteer-team rows of the authorization matrix (issue 26): certification steps,
honours, applying as a leader, designated service groups. Collected by `authz.py`."""

import datetime

from kepu.core.models import Region
from kepu.core.testing import Row, officers, statuses
from kepu.people import team_services


def context(ctx):
    """A pending team in county B (filed by the system: no four-eyes), an honour on the
    active team of `authz.context`, and a province group serving county B."""
    county_b = Region.objects.get(code="510703")
    ctx["team_b_pending"] = team_services.file_team(
        actor=None, name="涪城区待认定服务队", region=county_b
    )
    ctx["honour_b"] = team_services.add_team_honour(
        ctx["team_b"], actor=None, honour="excellent", year=2024, awarded_by="四川省科协"
    )
    ctx["team_b_parent"] = team_services.file_team(
        actor=None, name="涪城区矩阵上级服务队", region=county_b
    )
    ctx["group_p"] = team_services.create_service_group(
        actor=None,
        name="矩阵定点服务团",
        region=Region.objects.get(code="51"),
        lead_team=ctx["team_b"],
        counties=[county_b],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _step(key, step):
    return lambda ctx: {"pk": ctx[key].pk, "step": step}


B_ONLY = dict(city=404, county_a=404)
API = dict(anonymous=401)
NEW_TEAM = {"name": "锦江区矩阵新服务队", "region": "510104", "specialties": "应急科普"}
NEW_GROUP = {
    "name": "矩阵新服务团",
    "region": "51",
    "lead_team_ref": "涪城区矩阵服务队",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "counties": ["510703"],
}

TEAM_ROWS = [
    Row("team-file-post", "people:team_list", "post", data=lambda c: NEW_TEAM,
        expect=officers(302, county_b=400, member=403, volunteer=403),
        changes=("province", "city", "county_a")),
    Row("team-export", "people:team_export", expect=officers(200)),
    Row("team-apply", "people:team_apply", expect=statuses(403, anonymous=302, volunteer=200)),
    Row("team-apply-post", "people:team_apply", "post",
        data=lambda c: {"name": "刘洋科普志愿服务队", "specialties": "天文"},
        expect=statuses(403, anonymous=302, volunteer=302), changes=("volunteer",)),
    Row("team-certify", "people:team_step", "post", kwargs=_step("team_b_pending", "certify"),
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("team-reject", "people:team_step", "post", kwargs=_step("team_b_pending", "reject"),
        data=lambda c: {"reason": "材料不全"}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("team-suspend", "people:team_step", "post", kwargs=_step("team_b", "suspend"),
        data=lambda c: {"reason": "长期未开展活动"}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("team-move", "people:team_step", "post", kwargs=_step("team_b", "move"),
        data=lambda c: {"parent": "涪城区矩阵上级服务队"}, expect=officers(302, **B_ONLY),
        changes=("province", "county_b")),
    Row("team-honour-add", "people:team_honour_add", "post", kwargs=_id("team_b"),
        data=lambda c: {"honour": "model", "year": "2025", "awarded_by": "绵阳市科协"},
        expect=officers(302, **B_ONLY), changes=("province", "county_b")),
    Row("team-honours", "people:team_honour_list", expect=officers(200, member=200)),
    Row("team-honours-export", "people:team_honour_export", expect=officers(200)),
    Row("groups", "people:group_list", expect=officers(200)),
    Row("group-new", "people:group_create", expect=officers(200)),
    Row("group-new-post", "people:group_create", "post", data=lambda c: NEW_GROUP,
        expect=officers(400, province=302), changes=("province",)),
    Row("group-detail", "people:group_detail", kwargs=_id("group_p"),
        expect=officers(200, **B_ONLY)),
    Row("groups-export", "people:group_export", expect=officers(200)),
    Row("api-team-certify", "api:team-certify", "post", kwargs=_id("team_b_pending"), json=True,
        expect=officers(200, **API, **B_ONLY), changes=("province", "county_b")),
    Row("api-groups", "api:servicegroup-list", expect=officers(200, **API)),
    Row("api-group", "api:servicegroup-detail", kwargs=_id("group_p"),
        expect=officers(200, **API, **B_ONLY)),
    Row("api-team-honours", "api:teamhonour-list", expect=officers(200, member=200, **API)),
    Row("api-team-honour", "api:teamhonour-detail", kwargs=_id("honour_b"),
        expect=officers(200, member=404, **API, **B_ONLY)),
]  # fmt: skip
