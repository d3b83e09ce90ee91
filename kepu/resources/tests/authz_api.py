"""API rows of the authorization matrix for the catalog (imported by `authz.py`).

They use the objects of `authz.context(ctx)`: county A's draft, submitted, in-review and
published entries ("res_a_draft", "res_a_sub", "res_a_review", "res_a_pub"), county B's
draft and published ones, the member unit's draft ("res_member"), the volunteer's own
application ("res_vol"), and the reviews of "res_a_review" ("assign_vol" is the volunteer
persona's as an expert, "assign_other" another expert's).

County A's entries are reached by the officers of the province, Chengdu and county A
(404 for county B); the member unit reaches its own entry only; the volunteer their own
application and their own review. Steps a caller holds nowhere (the member unit and the
volunteer do not check, decide or manage; the system roles hold nothing in the catalog)
are 403 before the lookup. Steps the state does not allow are 409 and change nothing;
anonymous callers get 401 except on the public endpoints.
"""

from kepu.core.testing import Row, officers, statuses
from kepu.people.models import PoolMembership
from kepu.resources.tests.helpers import org

API = dict(anonymous=401)
# County A's entries (the member unit and the volunteer hold the right, not the scope).
A_ONLY = dict(county_b=404, member=404, volunteer=404)
A_CHANGES = ("province", "city", "county_a")
REVIEW = {
    "verdict": "accurate",
    "comments": "",
    "facts_correct": True,
    "sources_reliable": True,
    "fits_audience": True,
}


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _uid(key):
    return lambda ctx: {"uid": ctx[key].uid}


def _membership(username):
    return PoolMembership.objects.get(person__user__username=username).pk


def _new_place(ctx):
    return {
        "resource_type": "place",
        "organization": org("锦江区科学技术协会").pk,
        "title": "接口矩阵科技馆",
        "region": "510104",
        "summary": "接口矩阵新建的科普场馆。",
        "place_kind": "museum",
        "address": "成都市锦江区春熙路1号",
        "latitude": "30.656000",
        "longitude": "104.081000",
        "groups": ["youth"],
    }


def _new_work(ctx):
    return {
        "resource_type": "work",
        "title": "接口矩阵个人作品",
        "region": "510104",
        "summary": "个人创作的科普短文。",
        "work_kind": "article",
        "authors": "作者",
        "groups": ["general"],
    }


def _check_with(username):
    return lambda ctx: {"complete": True, "reviewers": [_membership(username)]}


API_ROWS = [
    # --- entries
    Row("res-api-list", "api:resource-list",
        expect=officers(200, member=200, volunteer=200, **API)),
    Row("res-api-create", "api:resource-list", "post", json=True, data=_new_place,
        expect=officers(201, county_b=400, member=400, volunteer=400, **API),
        changes=A_CHANGES),
    Row("res-api-create-individual", "api:resource-list", "post", json=True, data=_new_work,
        expect=officers(201, county_b=400, member=400, volunteer=201, **API),
        changes=(*A_CHANGES, "volunteer")),
    Row("res-api-a-draft", "api:resource-detail", kwargs=_id("res_a_draft"),
        expect=officers(200, **A_ONLY, **API)),
    Row("res-api-b-draft", "api:resource-detail", kwargs=_id("res_b_draft"),
        expect=officers(200, city=404, county_a=404, member=404, volunteer=404, **API)),
    Row("res-api-member", "api:resource-detail", kwargs=_id("res_member"),
        expect=officers(404, province=200, member=200, volunteer=404, **API)),
    Row("res-api-vol", "api:resource-detail", kwargs=_id("res_vol"),
        expect=officers(200, county_b=404, member=404, volunteer=200, **API)),
    Row("res-api-a-patch", "api:resource-detail", "patch", kwargs=_id("res_a_draft"),
        json=True, data=lambda c: {"capacity": 999}, expect=officers(200, **A_ONLY, **API),
        changes=A_CHANGES),
    Row("res-api-member-patch", "api:resource-detail", "patch", kwargs=_id("res_member"),
        json=True, data=lambda c: {"summary": "接口矩阵修改"},
        expect=officers(404, province=200, member=200, volunteer=404, **API),
        changes=("province", "member")),
    Row("res-api-vol-patch", "api:resource-detail", "patch", kwargs=_id("res_vol"),
        json=True, data=lambda c: {"summary": "接口矩阵修改"},
        expect=officers(200, county_b=404, member=404, volunteer=200, **API),
        changes=(*A_CHANGES, "volunteer")),
    Row("res-api-pub-patch", "api:resource-detail", "patch", kwargs=_id("res_a_pub"),
        json=True, data=lambda c: {"title": "接口矩阵新版本"},
        expect=officers(200, **A_ONLY, **API), changes=A_CHANGES),
    Row("res-api-review-patch", "api:resource-detail", "patch", kwargs=_id("res_a_review"),
        json=True, data=lambda c: {"title": "审核中不能改"},
        expect=officers(409, **A_ONLY, **API)),
    # --- the workflow
    Row("res-api-submit", "api:resource-submit", "post", kwargs=_id("res_a_draft"), json=True,
        expect=officers(200, **A_ONLY, **API), changes=A_CHANGES),
    Row("res-api-submit-again", "api:resource-submit", "post", kwargs=_id("res_a_sub"),
        json=True, expect=officers(409, **A_ONLY, **API)),
    Row("res-api-vol-submit", "api:resource-submit", "post", kwargs=_id("res_vol"), json=True,
        expect=officers(200, county_b=404, member=404, volunteer=200, **API),
        changes=(*A_CHANGES, "volunteer")),
    Row("res-api-candidates", "api:resource-candidates", kwargs=_id("res_a_sub"),
        expect=officers(200, county_b=404, **API)),
    Row("res-api-check", "api:resource-check", "post", kwargs=_id("res_a_sub"), json=True,
        data=_check_with("demo-volunteer"), expect=officers(200, county_b=404, **API),
        changes=A_CHANGES),
    # The matrix expert is in the provincial pool, which counties below draw on too.
    Row("res-api-check-province-pool", "api:resource-check", "post", kwargs=_id("res_a_sub"),
        json=True, data=_check_with("matrix-expert"),
        expect=officers(200, county_b=404, **API), changes=A_CHANGES),
    Row("res-api-check-draft", "api:resource-check", "post", kwargs=_id("res_a_draft"),
        json=True, data=lambda c: {"complete": False, "note": "缺少照片"},
        expect=officers(409, county_b=404, **API)),
    Row("res-api-decide", "api:resource-decide", "post", kwargs=_id("res_a_review"),
        json=True, data=lambda c: {"decision": "return", "note": "请补充"},
        expect=officers(200, county_b=404, **API), changes=A_CHANGES),
    Row("res-api-decide-draft", "api:resource-decide", "post", kwargs=_id("res_a_draft"),
        json=True, data=lambda c: {"decision": "reject", "note": "不予收录"},
        expect=officers(409, county_b=404, **API)),
    Row("res-api-manage", "api:resource-manage", "post", kwargs=_id("res_a_pub"), json=True,
        data=lambda c: {"action": "suspend", "reason": "场馆维修"},
        expect=officers(200, county_b=404, **API), changes=A_CHANGES),
    Row("res-api-manage-b", "api:resource-manage", "post", kwargs=_id("res_b_pub"), json=True,
        data=lambda c: {"action": "renew"},
        expect=officers(200, city=404, county_a=404, **API), changes=("province", "county_b")),
    Row("res-api-manage-draft", "api:resource-manage", "post", kwargs=_id("res_a_draft"),
        json=True, data=lambda c: {"action": "withdraw", "reason": "不再开放"},
        expect=officers(409, county_b=404, **API)),
    Row("res-api-versions", "api:resource-versions", kwargs=_id("res_a_pub"),
        expect=officers(200, **A_ONLY, **API)),
    Row("res-api-vol-versions", "api:resource-versions", kwargs=_id("res_vol"),
        expect=officers(200, county_b=404, member=404, volunteer=200, **API)),
    Row("res-api-version-diff", "api:resource-version-diff", kwargs=_id("res_a_pub"),
        expect=officers(200, **A_ONLY, **API)),
    # --- the expert's own reviews
    Row("res-api-reviews", "api:resource-review-list", expect=statuses(200, **API)),
    Row("res-api-review-vol", "api:resource-review-detail", kwargs=_id("assign_vol"),
        expect=statuses(404, volunteer=200, **API)),
    Row("res-api-review-other", "api:resource-review-detail", kwargs=_id("assign_other"),
        expect=statuses(404, **API)),
    Row("res-api-review-file", "api:resource-review-file", "post", kwargs=_id("assign_vol"),
        json=True, data=lambda c: REVIEW, expect=statuses(404, volunteer=200, **API),
        changes=("volunteer",)),
    Row("res-api-review-file-other", "api:resource-review-file", "post",
        kwargs=_id("assign_other"), json=True, data=lambda c: REVIEW,
        expect=statuses(404, **API)),
    # --- the public catalog
    Row("res-api-public", "api:public-resource-list", expect=statuses(200)),
    Row("res-api-public-pub", "api:public-resource-detail", kwargs=_uid("res_a_pub"),
        expect=statuses(200)),
    Row("res-api-public-draft", "api:public-resource-detail", kwargs=_uid("res_a_draft"),
        expect=statuses(404)),
    Row("res-api-public-facets", "api:public-resource-facets", expect=statuses(200)),
]  # fmt: skip

ROWS = API_ROWS
