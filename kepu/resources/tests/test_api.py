"""The catalog REST API: scope (404 outside, 403 without the right), applying with
field errors, the workflow through the services (submit, completeness check with the
reviewer candidates, the expert's own reviews, decision with a listing number, versions
of a listed entry, management), 409 for steps the state does not allow, the public
catalog and its facets without personal data, list query counts and the schema."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.resources import services
from kepu.resources.choices import ResourceStatus, VersionStatus
from kepu.resources.models import Resource, ReviewAssignment
from kepu.resources.tests.helpers import (
    make_expert,
    make_resource,
    png_upload,
    publish,
    region,
    to_review,
    user,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Keys that would carry an applicant's (or any account's) personal data.
PERSONAL_KEYS = {"created_by", "username", "phone", "email", "id_number", "uploaded_by"}


def url(name, pk=None, **kwargs):
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"api:{name}", kwargs=kwargs or None)


def get(client, name, pk=None, params=None, **kwargs):
    return client.get(url(name, pk, **kwargs), params or {}, **EN)


def post(client, name, pk=None, data=None, **kwargs):
    return client.post(url(name, pk, **kwargs), data or {}, content_type="application/json", **EN)


def patch(client, name, pk, data):
    return client.patch(url(name, pk), data, content_type="application/json", **EN)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def error(response, status: int, code: str) -> dict:
    """The one error body (`kepu.core.api.errors`): code, message and fields."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["code"] == code and body["message"], body
    return body


def invalid(response) -> dict:
    return error(response, 400, "invalid")


def refused(response) -> dict:
    return error(response, 400, "refused")


def conflict(response) -> dict:
    return error(response, 409, "conflict")


def keys(value) -> set:
    """Every key anywhere in a JSON document."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            found |= keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= keys(item)
    return found


def place(**over) -> dict:
    """A place in county A (锦江区), as a client sends it."""
    data = {
        "resource_type": "place",
        "organization": None,
        "title": "接口锦江区天文科普馆",
        "region": "510104",
        "summary": "面向青少年的天文科普场馆。",
        "description": "设有球幕影院和天文观测台。",
        "place_kind": "observatory",
        "address": "成都市锦江区红星路1号",
        "latitude": "30.655000",
        "longitude": "104.080000",
        "capacity": 300,
        "groups": ["youth"],
        "topics": ["space"],
        "hazards": [],
    }
    data.update(over)
    return data


@pytest.fixture
def county_a_org():
    from kepu.core.models import Organization

    return Organization.objects.get(name="锦江区科学技术协会").pk


def created(client, **over):
    response = post(client, "resource-list", data=place(**over))
    assert response.status_code == 201, response.content
    return response.json()


def volunteer_expert():
    """The volunteer persona as an expert (its person lives in 锦江区)."""
    return make_expert("demo-volunteer", "刘洋", organization="")


# --- scope ------------------------------------------------------------------------------


def test_each_caller_sees_the_entries_of_their_own_scope(as_persona):
    own = make_resource(title="锦江区科技馆")
    other = make_resource(
        title="涪城区科技馆",
        organization="涪城区科学技术协会",
        code="510703",
        latitude="31.467500",
        longitude="104.679000",
    )
    unit = make_resource(title="教育厅科普基地", organization="四川省教育厅", code="51")
    county_a, county_b, member = (
        as_persona("county_a"),
        as_persona("county_b"),
        as_persona("member"),
    )

    listed = ids(get(county_a, "resource-list"))
    assert own.pk in listed and other.pk not in listed and unit.pk not in listed
    assert get(county_b, "resource-detail", own.pk).status_code == 404
    assert get(county_b, "resource-detail", other.pk).status_code == 200
    assert ids(get(member, "resource-list")) == [unit.pk]
    assert get(member, "resource-detail", own.pk).status_code == 404
    assert {own.pk, other.pk, unit.pk} <= set(ids(get(as_persona("province"), "resource-list")))
    # Published entries of another county stay on the public endpoint.
    publish(other)
    assert other.pk not in ids(get(county_a, "resource-list"))
    # Without any right to the catalog: 403; anonymous: 401.
    assert get(as_persona("auditor"), "resource-list").status_code == 403
    assert get(Client(), "resource-list").status_code == 401


def test_list_filters(as_persona):
    place_entry = make_resource(title="锦江区地震科普馆")
    work = make_resource(resource_type="work", title="洪水来了怎么办", is_emergency=True)
    publish(work)
    client = as_persona("county_a")
    assert ids(get(client, "resource-list", params={"q": "地震科普"})) == [place_entry.pk]
    assert ids(get(client, "resource-list", params={"type": "work"})) == [work.pk]
    assert ids(get(client, "resource-list", params={"status": "published"})) == [work.pk]
    assert ids(get(client, "resource-list", params={"stage": "draft"})) == [place_entry.pk]
    assert ids(get(client, "resource-list", params={"emergency": "true"})) == [work.pk]
    assert ids(get(client, "resource-list", params={"group": "elderly"})) == [work.pk]
    assert ids(get(client, "resource-list", params={"topic": "space"})) == [place_entry.pk]
    assert ids(get(client, "resource-list", params={"hazard": "earthquake"})) == [work.pk]
    assert set(ids(get(client, "resource-list", params={"region": "5101"}))) == {
        place_entry.pk,
        work.pk,
    }
    assert ids(get(client, "resource-list", params={"region": "5107"})) == []
    row = get(client, "resource-list", params={"type": "work"}).json()["results"][0]
    assert row["status"] == "published" and row["stage"] == ""
    assert row["listing_number"].startswith("KP51-")
    assert row["owner"] == {
        "kind": "unit",
        "id": work.organization_id,
        "name": "锦江区科学技术协会",
    }
    assert row["groups"] == ["elderly", "youth"] and row["hazards"] == ["earthquake"]


# --- applying ---------------------------------------------------------------------------


def test_county_a_applies_for_an_entry(as_persona, county_a_org):
    body = created(as_persona("county_a"), organization=county_a_org)
    resource = Resource.objects.get(pk=body["id"])
    assert resource.status == ResourceStatus.DRAFT and resource.title == "接口锦江区天文科普馆"
    assert resource.created_by == user("demo-county-a")
    assert body["status"] == "draft" and body["stage"] == "draft"
    assert body["owner"] == {"kind": "unit", "id": county_a_org, "name": "锦江区科学技术协会"}
    assert body["region"] == "510104" and body["place_kind"] == "observatory"
    assert body["latitude"] == "30.655000" and body["capacity"] == 300
    assert body["open_version"]["number"] == 1 and body["open_version"]["missing"] == []
    assert body["open_version"]["data"]["title"] == "接口锦江区天文科普馆"
    assert {"kind": "group", "code": "youth", "label": "Young people"} in body["tags"]
    assert not keys(body) & PERSONAL_KEYS
    assert AuditEntry.objects.filter(
        action="resources.resource.created", object_id=str(resource.pk)
    ).exists()


@pytest.mark.parametrize(
    "over, field",
    [
        ({"groups": []}, "groups"),
        ({"groups": ["aliens"]}, "groups"),
        ({"latitude": "60.000000", "longitude": "20.000000"}, "latitude"),
        ({"latitude": "30.600000", "longitude": None}, "longitude"),
        ({"is_emergency": True, "hazards": []}, "hazards"),
        ({"resource_type": "spaceship"}, "resource_type"),
        ({"region": "999999"}, "region"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_content_is_refused_with_the_field_named(as_persona, county_a_org, over, field):
    client = as_persona("county_a")
    before = fingerprint()
    response = post(client, "resource-list", data=place(organization=county_a_org, **over))
    assert response.status_code == 400, response.content
    # A list's item errors are named by the item ("groups.0").
    assert field in {name.split(".")[0] for name in invalid(response)["fields"]}
    assert fingerprint() == before


def test_an_entry_outside_the_scope_or_for_a_foreign_unit_is_refused(as_persona, county_a_org):
    before = fingerprint()
    response = post(as_persona("county_b"), "resource-list", data=place(organization=county_a_org))
    assert "organization" in invalid(response)["fields"]  # not a unit county B may name
    member = post(as_persona("member"), "resource-list", data=place(organization=county_a_org))
    assert member.status_code == 400
    assert post(as_persona("auditor"), "resource-list", data=place()).status_code == 403
    assert fingerprint() == before


def test_an_individual_applies_in_their_own_name(as_persona):
    client = as_persona("volunteer")
    body = created(
        client,
        resource_type="work",
        title="个人科普短文",
        work_kind="article",
        authors="刘洋",
        submit=True,
    )
    assert body["owner"] == {"kind": "individual", "id": None, "name": "Individual applicant"}
    assert body["stage"] == "submitted"
    assert ids(get(client, "resource-list")) == [body["id"]]
    assert "刘洋" not in json.dumps(body["owner"], ensure_ascii=False)
    assert not keys(body) & PERSONAL_KEYS


def test_create_and_submit(as_persona, county_a_org):
    client = as_persona("county_a")
    at_once = created(client, organization=county_a_org, submit=True, note="请审核")
    assert at_once["stage"] == "submitted" and at_once["open_version"]["note"] == "请审核"

    body = created(client, organization=county_a_org, title="接口草稿")
    response = post(client, "resource-submit", body["id"], {"note": "已补齐"})
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "submitted"
    assert response.json()["open_version"]["submitted_at"]
    conflict(post(client, "resource-submit", body["id"]))


def test_submitting_with_required_fields_empty_is_400(as_persona, county_a_org):
    client = as_persona("county_a")
    body = created(client, organization=county_a_org, address="", latitude=None, longitude=None)
    assert len(body["open_version"]["missing"]) == 2
    response = post(client, "resource-submit", body["id"])
    assert refused(response)["fields"] == {}
    assert Resource.objects.get(pk=body["id"]).open_version().status == VersionStatus.DRAFT


# --- the completeness check and the expert review --------------------------------------


def _submitted(client, county_a_org, **over):
    return created(client, organization=county_a_org, submit=True, **over)["id"]


def test_the_check_sends_the_entry_to_candidate_experts_only(as_persona, county_a_org):
    officer = as_persona("county_a")
    pk = _submitted(officer, county_a_org)
    _account, _person, expert = make_expert(
        "expert-api", "吴研究员", organization="", code="510104", topics=("space",)
    )
    # An expert of Mianyang's pool: neither county A's nor a pool above it.
    _account, _person, faraway = make_expert(
        "expert-far", "远方专家", organization="", code="5107", pool_name="绵阳市科普专家库"
    )

    response = get(officer, "resource-candidates", pk)
    assert response.status_code == 200
    candidates = {row["id"]: row for row in response.json()}
    assert expert.pk in candidates and faraway.pk not in candidates
    assert candidates[expert.pk]["person_name"] == "吴研究员"
    assert candidates[expert.pk]["topic_match"] == 1
    assert candidates[expert.pk]["open_reviews"] == 0
    assert get(as_persona("member"), "resource-candidates", pk).status_code == 403
    assert get(as_persona("county_b"), "resource-candidates", pk).status_code == 404

    before = fingerprint()
    wrong = post(officer, "resource-check", pk, {"complete": True, "reviewers": [faraway.pk]})
    assert wrong.status_code == 400 and "reviewers" in invalid(wrong)["fields"]
    none = post(officer, "resource-check", pk, {"complete": True, "reviewers": []})
    assert none.status_code == 400 and "reviewers" in invalid(none)["fields"]
    assert fingerprint() == before

    response = post(
        officer,
        "resource-check",
        pk,
        {"complete": True, "reviewers": [expert.pk], "due_date": "2099-01-31"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "in_review"
    assignment = ReviewAssignment.objects.get(version__resource_id=pk)
    assert assignment.reviewer == expert.person and str(assignment.due_date) == "2099-01-31"
    again = post(officer, "resource-check", pk, {"complete": True, "reviewers": [expert.pk]})
    conflict(again)


def test_an_incomplete_entry_goes_back_with_the_note(as_persona, county_a_org):
    officer = as_persona("county_a")
    pk = _submitted(officer, county_a_org)
    assert "note" in invalid(post(officer, "resource-check", pk, {"complete": False}))["fields"]
    response = post(officer, "resource-check", pk, {"complete": False, "note": "缺少场馆照片"})
    assert response.status_code == 200
    assert response.json()["open_version"]["status"] == "returned"
    assert response.json()["open_version"]["decision_note"] == "缺少场馆照片"


def test_the_expert_files_their_own_review_once(as_persona, county_a_org):
    officer = as_persona("county_a")
    pk = _submitted(officer, county_a_org)
    _vol, _person, vol_membership = volunteer_expert()
    _other, _person, other_membership = make_expert(
        "expert-api-2", "郑教授", organization="", code="510104"
    )
    response = post(
        officer,
        "resource-check",
        pk,
        {"complete": True, "reviewers": [vol_membership.pk, other_membership.pk]},
    )
    assert response.status_code == 200, response.content
    mine = ReviewAssignment.objects.get(version__resource_id=pk, reviewer=vol_membership.person)
    theirs = ReviewAssignment.objects.get(version__resource_id=pk, reviewer=other_membership.person)
    services.file_review(
        theirs,
        actor=theirs.reviewer.user,
        verdict="revise",
        comments="郑教授的保密意见",
        facts_correct=False,
        sources_reliable=True,
        fits_audience=True,
    )

    expert = as_persona("volunteer")
    assert ids(get(expert, "resource-review-list")) == [mine.pk]
    detail = get(expert, "resource-review-detail", mine.pk)
    assert detail.status_code == 200
    body = detail.json()
    assert body["resource"] == pk and body["version"] == 1 and body["can_file"] is True
    assert body["content"]["title"] == "接口锦江区天文科普馆"
    assert body["content"]["region"] == "510104"
    assert "title" in {row["field"] for row in body["changes"]}
    text = json.dumps(body, ensure_ascii=False)
    assert "郑教授" not in text and "保密意见" not in text
    # Another expert's review, and the reviews of anybody else: 404.
    assert get(expert, "resource-review-detail", theirs.pk).status_code == 404
    assert get(officer, "resource-review-detail", mine.pk).status_code == 404
    assert get(officer, "resource-review-list").json()["count"] == 0
    assert (
        post(officer, "resource-review-file", mine.pk, {"verdict": "accurate"}).status_code == 404
    )

    incomplete = post(expert, "resource-review-file", mine.pk, {"verdict": "accurate"})
    assert incomplete.status_code == 400 and "facts_correct" in invalid(incomplete)["fields"]
    review = {
        "verdict": "accurate",
        "facts_correct": True,
        "sources_reliable": True,
        "fits_audience": True,
    }
    no_reason = post(expert, "resource-review-file", mine.pk, {**review, "verdict": "reject"})
    assert no_reason.status_code == 400 and "comments" in invalid(no_reason)["fields"]
    filed = post(expert, "resource-review-file", mine.pk, review)
    assert filed.status_code == 200, filed.content
    assert filed.json()["verdict"] == "accurate" and filed.json()["can_file"] is False
    assert conflict(post(expert, "resource-review-file", mine.pk, review))
    mine.refresh_from_db()
    assert mine.submitted_at is not None and mine.facts_correct is True

    # The officers who decide see the reviews; the applicant's unit does not.
    reviews = get(officer, "resource-detail", pk).json()["open_version"]["reviews"]
    assert {r["verdict"] for r in reviews} == {"accurate", "revise"}


def test_publishing_gives_the_listing_number(as_persona, county_a_org):
    submitter = as_persona("county_a")
    pk = _submitted(submitter, county_a_org)
    resource = Resource.objects.get(pk=pk)
    version = to_review(resource, memberships=[volunteer_expert()[2]])
    assignment = version.assignments.get()
    # Four-eyes (security #13): the officer who submitted it does not decide it.
    response = post(submitter, "resource-decide", pk, {"decision": "publish"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    officer = as_persona("city")
    refused(post(officer, "resource-decide", pk, {"decision": "publish"}))
    post(
        as_persona("volunteer"),
        "resource-review-file",
        assignment.pk,
        {"verdict": "accurate", "facts_correct": True, "sources_reliable": True,
         "fits_audience": True},
    )  # fmt: skip
    assert (
        post(as_persona("member"), "resource-decide", pk, {"decision": "publish"}).status_code
        == 403
    )
    response = post(officer, "resource-decide", pk, {"decision": "publish"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published" and body["listing_number"].startswith("KP51-")
    assert body["listing_number"].endswith(f"C{pk:06d}") and body["review_by"]
    assert body["open_version"] is None and body["live_version"] == 1
    conflict(post(officer, "resource-decide", pk, {"decision": "publish"}))


def test_a_returned_decision_needs_the_reasons(as_persona):
    resource = make_resource()
    to_review(resource)
    officer = as_persona("county_a")
    assert post(officer, "resource-decide", resource.pk, {"decision": "return"}).status_code == 400
    assert post(officer, "resource-decide", resource.pk, {"decision": "maybe"}).status_code == 400
    response = post(officer, "resource-decide", resource.pk, {"decision": "return", "note": "补充"})
    assert response.status_code == 200
    assert response.json()["open_version"]["status"] == "returned"


# --- a listed entry ---------------------------------------------------------------------


def test_an_edit_of_a_published_entry_waits_for_review(as_persona):
    resource = publish(make_resource())
    client = as_persona("county_a")
    response = patch(
        client, "resource-detail", resource.pk, {"title": "锦江区青少年科技馆（新馆）"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["version_status"] == "draft"
    assert body["pending_review"] is True
    assert body["resource"]["title"] == "锦江区青少年科技馆"

    detail = get(client, "resource-detail", resource.pk).json()
    assert detail["title"] == "锦江区青少年科技馆" and detail["status"] == "published"
    assert detail["open_version"]["data"]["title"] == "锦江区青少年科技馆（新馆）"
    versions = get(client, "resource-versions", resource.pk).json()
    assert [(v["number"], v["status"], v["is_live"]) for v in versions] == [
        (2, "draft", False),
        (1, "approved", True),
    ]
    diff = get(client, "resource-version-diff", resource.pk, {"number": 2}).json()
    assert diff["number"] == 2
    assert [(r["field"], r["old"], r["new"]) for r in diff["rows"]] == [
        ("title", "锦江区青少年科技馆", "锦江区青少年科技馆（新馆）")
    ]
    assert get(client, "resource-version-diff", resource.pk).json()["number"] == 2
    assert get(client, "resource-version-diff", resource.pk, {"number": 9}).status_code == 404
    # Public readers still get the live title.
    public = get(Client(), "public-resource-detail", uid=resource.uid).json()
    assert public["title"] == "锦江区青少年科技馆"


def test_a_draft_changes_at_once_and_an_entry_in_review_not_at_all(as_persona):
    draft = make_resource()
    client = as_persona("county_a")
    response = patch(client, "resource-detail", draft.pk, {"capacity": 900, "note": "更新容量"})
    assert response.status_code == 200
    assert response.json()["pending_review"] is False
    assert response.json()["resource"]["capacity"] == 900
    assert patch(client, "resource-detail", draft.pk, {"groups": []}).status_code == 400

    in_review = make_resource(title="审核中")
    to_review(in_review)
    conflict(patch(client, "resource-detail", in_review.pk, {"capacity": 1}))
    assert (
        patch(as_persona("county_b"), "resource-detail", draft.pk, {"capacity": 1}).status_code
        == 404
    )
    assert (
        client.put(
            url("resource-detail", draft.pk), {}, content_type="application/json"
        ).status_code
        == 405
    )


def test_manage_withdraw(as_persona):
    resource = publish(make_resource())
    officer = as_persona("county_a")
    withdraw = post(officer, "resource-manage", resource.pk, {"action": "withdraw"})
    assert "reason" in invalid(withdraw)["fields"]
    assert post(officer, "resource-manage", resource.pk, {"action": "explode"}).status_code == 400
    denied = post(as_persona("member"), "resource-manage", resource.pk, {"action": "renew"})
    assert denied.status_code == 403
    response = post(
        officer, "resource-manage", resource.pk, {"action": "withdraw", "reason": "场馆已关闭"}
    )
    assert response.status_code == 200
    assert (
        response.json()["status"] == "withdrawn"
        and response.json()["status_reason"] == "场馆已关闭"
    )
    again = post(officer, "resource-manage", resource.pk, {"action": "reinstate"})
    conflict(again)
    assert get(Client(), "public-resource-detail", uid=resource.uid).status_code == 404
    conflict(patch(officer, "resource-detail", resource.pk, {"title": "x"}))


def test_the_detail_lists_the_files_with_back_office_links(as_persona):
    resource = make_resource()
    attachment = services.add_attachment(resource, actor=None, upload=png_upload())
    body = get(as_persona("county_a"), "resource-detail", resource.pk).json()
    [file] = body["attachments"]
    assert file["id"] == attachment.pk and file["kind"] == "image" and file["is_live"] is False
    assert file["url"] == reverse(
        "resources:attachment_download", kwargs={"pk": resource.pk, "file_pk": attachment.pk}
    )
    assert file["thumbnail_url"]
    assert body["open_version"]["reviews"] == []


# --- the public catalog -----------------------------------------------------------------


def test_the_public_catalog_shows_published_entries_without_personal_data(as_persona):
    applicant = user("demo-county-a")
    draft = make_resource(actor=applicant, title="未发布的草稿")
    listed = make_resource(actor=applicant, title="已发布的科技馆")
    attachment = services.add_attachment(listed, actor=applicant, upload=png_upload())
    publish(listed)
    client = Client()

    response = get(client, "public-resource-list")
    assert response.status_code == 200
    uids = [row["uid"] for row in response.json()["results"]]
    assert str(listed.uid) in uids and str(draft.uid) not in uids
    assert get(client, "public-resource-detail", uid=draft.uid).status_code == 404
    detail = get(client, "public-resource-detail", uid=listed.uid)
    assert detail.status_code == 200
    body = detail.json()
    assert body["owner_name"] == "锦江区科学技术协会" and body["listing_number"]
    [file] = body["attachments"]
    assert file["url"] == reverse(
        "resources:public_file", kwargs={"uid": listed.uid, "file_pk": attachment.pk}
    )
    row = next(r for r in response.json()["results"] if r["uid"] == str(listed.uid))
    assert row["thumbnail_url"] == reverse(
        "resources:public_thumbnail", kwargs={"uid": listed.uid, "file_pk": attachment.pk}
    )
    for document in (response.json(), body):
        assert not keys(document) & PERSONAL_KEYS
        text = json.dumps(document, ensure_ascii=False)
        assert applicant.username not in text and applicant.full_name not in text
    # The same holds in the back office.
    back = get(as_persona("county_a"), "resource-detail", listed.pk).json()
    assert not keys(back) & PERSONAL_KEYS
    assert applicant.username not in json.dumps(back, ensure_ascii=False)


def test_an_individual_is_not_named_in_public(as_persona):
    volunteer = user("demo-volunteer")
    resource = services.create_resource(
        actor=volunteer,
        resource_type="work",
        organization=None,
        content={
            "title": "公开的个人作品",
            "region": region("510104"),
            "summary": "个人创作的科普短文。",
            "work_kind": "article",
            "authors": "某作者",
            "groups": ["youth"],
        },
    )
    publish(resource)
    body = get(Client(), "public-resource-detail", uid=resource.uid).json()
    assert body["owner_name"] == "Individual applicant"
    assert volunteer.full_name not in json.dumps(body, ensure_ascii=False)


def test_public_filters_and_facets():
    place_entry = publish(make_resource(title="接口面板锦江区科技馆"))
    work = publish(
        make_resource(
            resource_type="work",
            title="接口面板涪城区地震动画",
            organization="涪城区科学技术协会",
            code="510703",
        )
    )
    make_resource(title="接口面板未发布")
    client = Client()
    listed = get(client, "public-resource-list", params={"q": "接口面板"}).json()
    assert {r["uid"] for r in listed["results"]} == {str(place_entry.uid), str(work.uid)}
    for params, expected in [
        ({"type": "work"}, work),
        ({"hazard": "earthquake"}, work),
        ({"emergency": "true"}, work),
        ({"region": "5101"}, place_entry),
        ({"topic": "space"}, place_entry),
    ]:
        rows = get(client, "public-resource-list", params={"q": "接口面板", **params}).json()
        assert [r["uid"] for r in rows["results"]] == [str(expected.uid)], params

    facets = get(client, "public-resource-facets", params={"q": "接口面板"})
    assert facets.status_code == 200
    body = facets.json()
    assert body["count"] == 2
    assert {(f["code"], f["count"]) for f in body["types"]} == {("place", 1), ("work", 1)}
    assert {(f["code"], f["count"]) for f in body["groups"]} == {
        ("youth", 2),
        ("general", 1),
        ("elderly", 1),
    }
    assert ("earthquake", 1) in {(f["code"], f["count"]) for f in body["topics"]}
    assert [(f["code"], f["count"]) for f in body["hazards"]] == [("earthquake", 1)]
    assert body["region"] == {"code": "51", "name": "四川省"}
    assert {(f["code"], f["label"], f["count"]) for f in body["regions"]} == {
        ("5101", "成都市", 1),
        ("5107", "绵阳市", 1),
    }
    narrowed = get(
        client, "public-resource-facets", params={"q": "接口面板", "region": "5101"}
    ).json()
    assert narrowed["count"] == 1 and narrowed["region"]["code"] == "5101"
    assert narrowed["regions"] == [{"code": "510104", "label": "锦江区", "count": 1}]
    assert (
        get(client, "public-resource-facets", params={"type": "policy", "q": "接口面板"}).json()[
            "count"
        ]
        == 0
    )


# --- performance and the schema ---------------------------------------------------------


def test_list_endpoints_query_count(as_persona, django_assert_max_num_queries):
    for i in range(4):
        resource = make_resource(title=f"查询计数{i}")
        services.add_attachment(resource, actor=None, upload=png_upload())
        if i % 2:
            publish(resource)
    client = as_persona("county_a")
    client.get(url("resource-list"))  # session and permission caches
    # Session, user, roles; count, rows, tags, open versions; the session saved.
    with django_assert_max_num_queries(10):
        response = client.get(url("resource-list"))
    assert response.status_code == 200 and response.json()["count"] >= 4
    with django_assert_max_num_queries(5):
        response = Client().get(url("public-resource-list"))
    assert response.status_code == 200 and response.json()["count"] >= 2
    with django_assert_max_num_queries(12):
        Client().get(url("public-resource-facets"))


def test_the_schema_lists_the_endpoints_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    # (matched on the module path: the clone's own directory may contain "resources")
    ours = [m for m in messages if "kepu/resources" in m or "Resource" in m or "enum naming" in m]
    assert not ours, ours
    assert {
        "/api/v1/resources/",
        "/api/v1/resources/{id}/",
        "/api/v1/resources/{id}/submit/",
        "/api/v1/resources/{id}/check/",
        "/api/v1/resources/{id}/decide/",
        "/api/v1/resources/{id}/manage/",
        "/api/v1/resources/{id}/versions/",
        "/api/v1/resources/{id}/version-diff/",
        "/api/v1/resources/{id}/candidates/",
        "/api/v1/resources/reviews/",
        "/api/v1/resources/reviews/{id}/",
        "/api/v1/resources/reviews/{id}/file/",
        "/api/v1/public/resources/",
        "/api/v1/public/resources/{uid}/",
        "/api/v1/public/resources/facets/",
    } <= set(schema["paths"])
    assert Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json").status_code == 200
