"""The experts' review pages through HTTP: my reviews (to do first, overdue flagged), the
content as submitted (with the changes of an edit), the structured review filed once,
and independence: nobody else reaches a review, and an expert sees neither the other
experts' reviews nor the applicant's personal data."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from kepu.core.models import AuditEntry
from kepu.core.testing import login_client
from kepu.people.models import Person
from kepu.resources import services
from kepu.resources.choices import Decision, VersionStatus
from kepu.resources.models import Resource, ReviewAssignment
from kepu.resources.tests.helpers import (
    make_expert,
    make_resource,
    org,
    pdf_upload,
    png_upload,
    publish,
    region,
    to_review,
    user,
)

pytestmark = pytest.mark.django_db

COMMENTS = "独立评审意见：第三展厅的地震烈度数据需注明来源。"


def _url(assignment):
    return reverse("resources:expert_review", args=[assignment.pk])


def _data(**over):
    data = {
        "facts_correct": "yes",
        "sources_reliable": "yes",
        "fits_audience": "yes",
        "verdict": "accurate",
        "comments": "",
    }
    data.update(over)
    return data


@pytest.fixture
def experts(settings, tmp_path):
    """The volunteer persona and the province's demo expert, both in the test pool."""
    settings.MEDIA_ROOT = tmp_path
    volunteer = user("demo-volunteer")
    person = Person.objects.get(user=volunteer)
    if person.organization_id == org("锦江区教育局").pk:
        Person.objects.filter(pk=person.pk).update(organization=None)
    mine = make_expert(volunteer.username, person.name, organization="")[2]
    expert = user("demo-expert")
    theirs = make_expert(expert.username, "周明远")[2]
    return SimpleNamespace(
        membership=mine, other_membership=theirs, expert=expert, volunteer=volunteer
    )


@pytest.fixture
def review(experts):
    """County A's place in review by both experts, with an image and a PDF."""
    resource = make_resource(title="评审测试科技馆")
    services.add_attachment(resource, actor=None, upload=png_upload())
    services.add_attachment(resource, actor=None, upload=pdf_upload())
    version = to_review(resource, memberships=[experts.membership, experts.other_membership])
    return SimpleNamespace(
        resource=resource,
        version=version,
        mine=version.assignments.get(reviewer=experts.membership.person),
        theirs=version.assignments.get(reviewer=experts.other_membership.person),
        **vars(experts),
    )


def test_the_expert_lists_reviews_to_do_first_with_overdue_flagged(as_persona, review):
    later = make_resource(title="评审测试第二个科技馆")
    to_review(later, memberships=[review.membership])
    ReviewAssignment.objects.filter(pk=review.mine.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    done = make_resource(title="评审测试已评作品")
    publish(done, memberships=[review.membership])
    client = as_persona("volunteer")
    response = client.get(reverse("resources:expert_list"))
    assert response.status_code == 200
    pending = [a.version.resource.title for a in response.context["pending"]]
    assert pending == ["评审测试科技馆", "评审测试第二个科技馆"]  # the overdue one first
    assert response.context["overdue"] == 1
    assert [a.version.resource.title for a in response.context["page"]] == ["评审测试已评作品"]
    page = response.content.decode()
    assert _url(review.mine) in page and "bg-red" in page
    assert _url(review.theirs) not in page


def test_the_list_is_friendly_for_an_expert_without_reviews(as_persona):
    response = as_persona("volunteer").get(reverse("resources:expert_list"))
    assert response.status_code == 200
    assert not response.context["pending"] and not response.context["page"].paginator.count
    assert 'class="empty"' in response.content.decode()


def test_the_list_needs_the_permission_to_file_reviews(as_persona):
    assert as_persona("county_a").get(reverse("resources:expert_list")).status_code == 403
    assert as_persona("anonymous").get(reverse("resources:expert_list")).status_code == 302


def test_list_queries_do_not_grow_with_the_reviews(
    as_persona, experts, django_assert_max_num_queries
):
    client = as_persona("volunteer")
    to_review(make_resource(title="查询测试0"), memberships=[experts.membership])
    publish(make_resource(title="查询测试1"), memberships=[experts.membership])
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("resources:expert_list"))
    for n in range(2, 8):
        resource = make_resource(title=f"查询测试{n}")
        if n % 2:
            to_review(resource, memberships=[experts.membership])
        else:
            publish(resource, memberships=[experts.membership])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("resources:expert_list"))


def test_the_expert_reads_the_content_and_files_the_review(as_persona, review):
    client = as_persona("volunteer")
    response = client.get(_url(review.mine))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "评审测试科技馆",
        "成都市锦江区东大街100号",
        "锦江区科学技术协会",
        "展厅.png",
        "说明书.pdf",
    ):
        assert text in page
    assert 'name="verdict"' in page
    response = client.post(
        _url(review.mine),
        _data(fits_audience="no", verdict="revise", comments=COMMENTS),
    )
    assert response.status_code == 302 and response.url == _url(review.mine)
    filed = ReviewAssignment.objects.get(pk=review.mine.pk)
    assert (filed.verdict, filed.comments, filed.submitted_at is not None) == (
        "revise",
        COMMENTS,
        True,
    )
    assert (filed.facts_correct, filed.sources_reliable, filed.fits_audience) == (
        True,
        True,
        False,
    )
    assert AuditEntry.objects.filter(
        action="resources.reviewassignment.filed", object_id=str(filed.pk)
    ).exists()
    page = client.get(_url(review.mine)).content.decode()
    assert COMMENTS in page and 'name="verdict"' not in page  # read-only now


def test_filing_twice_changes_nothing(as_persona, review):
    client = as_persona("volunteer")
    assert client.post(_url(review.mine), _data()).status_code == 302
    first = ReviewAssignment.objects.get(pk=review.mine.pk)
    response = client.post(_url(review.mine), _data(verdict="reject", comments="改主意了"))
    assert response.status_code == 302
    again = ReviewAssignment.objects.get(pk=review.mine.pk)
    assert (again.verdict, again.comments, again.submitted_at) == (
        "accurate",
        "",
        first.submitted_at,
    )
    assert (
        AuditEntry.objects.filter(
            action="resources.reviewassignment.filed", object_id=str(first.pk)
        ).count()
        == 1
    )
    followed = client.get(response.url)
    assert followed.status_code == 200
    # An empty second POST is refused the same way (nothing to correct).
    assert client.post(_url(review.mine), {}).status_code == 302


def test_comments_are_required_unless_accurate(as_persona, review):
    client = as_persona("volunteer")
    response = client.post(_url(review.mine), _data(verdict="revise", comments="  "))
    assert response.status_code == 400
    assert "comments" in response.context["form"].errors
    response = client.post(_url(review.mine), _data(verdict="reject"))
    assert "comments" in response.context["form"].errors
    response = client.post(_url(review.mine), {"verdict": "accurate"})
    assert response.status_code == 400
    assert {"facts_correct", "sources_reliable", "fits_audience"} <= set(
        response.context["form"].errors
    )
    assert ReviewAssignment.objects.get(pk=review.mine.pk).submitted_at is None


@pytest.mark.parametrize("persona", ["county_a", "province", "city", "member", "sysadmin"])
def test_nobody_else_reaches_a_review(as_persona, review, persona):
    client = as_persona(persona)
    assert client.get(_url(review.mine)).status_code == 404
    assert client.post(_url(review.mine), _data()).status_code == 404
    assert ReviewAssignment.objects.get(pk=review.mine.pk).submitted_at is None


def test_experts_review_independently(as_persona, review):
    volunteer = as_persona("volunteer")
    volunteer.post(_url(review.mine), _data(verdict="revise", comments=COMMENTS))
    other = login_client(Client(), review.expert.username)
    assert other.get(_url(review.mine)).status_code == 404
    assert other.post(_url(review.mine), _data()).status_code == 404
    page = other.get(_url(review.theirs))
    assert page.status_code == 200
    text = page.content.decode()
    assert COMMENTS not in text and review.mine.reviewer.name not in text
    assert 'name="verdict"' in text  # their own review is still to do
    listing = other.get(reverse("resources:expert_list")).content.decode()
    assert "评审测试科技馆" in listing
    # The volunteer does not see the other expert either.
    mine = volunteer.get(_url(review.mine)).content.decode()
    assert review.theirs.reviewer.name not in mine


def test_the_applicants_personal_data_is_not_shown(as_persona, experts):
    applicant = user("demo-county-b")
    resource = services.create_resource(
        actor=None,
        resource_type="work",
        organization=None,
        content={
            "title": "个人申报的科普短文",
            "region": region("510104"),
            "summary": "一篇讲地震避险的短文。",
            "work_kind": "article",
            "authors": "笔名：山间科普",
            "groups": ["youth"],
        },
        note="请专家重点看第二段。",
    )
    Resource.objects.filter(pk=resource.pk).update(created_by=applicant)
    resource.refresh_from_db()
    version = to_review(resource, memberships=[experts.membership])
    assignment = version.assignments.get()
    page = as_persona("volunteer").get(_url(assignment)).content.decode()
    assert "个人申报的科普短文" in page and "请专家重点看第二段。" in page
    assert applicant.full_name not in page and applicant.username not in page
    assert not applicant.email or applicant.email not in page


def test_an_edit_shows_what_it_changes(as_persona, experts):
    resource = make_resource(title="评审测试改版科技馆")
    publish(resource, memberships=[experts.other_membership])
    services.update_content(
        resource,
        actor=None,
        content={"summary": "改版后的摘要：新增人工智能展厅。", "opening_hours": "每天 9:00—18:00"},
        note="新增展厅，请复核。",
    )
    version = to_review(resource, memberships=[experts.membership])
    assert version.number == 2
    response = as_persona("volunteer").get(_url(version.assignments.get()))
    assert response.status_code == 200
    assert response.context["is_edit"]
    changed = {row["field"]: (row["old"], row["new"]) for row in response.context["diff"]}
    assert changed == {
        "summary": (
            "面向中小学生的综合性科技馆，常设展厅六个。",
            "改版后的摘要：新增人工智能展厅。",
        ),
        "opening_hours": ("周二至周日 9:00—17:00", "每天 9:00—18:00"),
    }
    page = response.content.decode()
    assert "改版后的摘要：新增人工智能展厅。" in page and resource.listing_number in page


def test_a_review_no_longer_needed_cannot_be_filed(as_persona, review):
    services.decide(
        review.resource, actor=None, decision=Decision.RETURN, note="申报材料不全，退回补充。"
    )
    assert review.resource.versions.get(pk=review.version.pk).status == VersionStatus.RETURNED
    client = as_persona("volunteer")
    response = client.get(_url(review.mine))
    assert response.status_code == 200
    assert not response.context["is_open"] and 'name="verdict"' not in response.content.decode()
    response = client.post(_url(review.mine), _data())
    assert response.status_code == 302
    assert ReviewAssignment.objects.get(pk=review.mine.pk).submitted_at is None
    listing = client.get(reverse("resources:expert_list"))
    assert [a.pk for a in listing.context["page"]] == [review.mine.pk]


def test_the_expert_opens_an_unpublished_file_of_the_version_on_the_record(
    as_persona, settings, tmp_path
):
    from kepu.core.models import AuditEntry
    from kepu.resources import services
    from kepu.resources.tests.helpers import make_expert, make_resource, png_upload, to_review

    settings.MEDIA_ROOT = str(tmp_path)
    resource = make_resource(title="专家查看附件测试")
    attachment = services.add_attachment(resource, actor=None, upload=png_upload())
    membership = make_expert("demo-volunteer", "刘洋", organization="")[2]
    assignment = to_review(resource, memberships=[membership]).assignments.get()
    url = f"/resources/reviews/{assignment.pk}/files/{attachment.pk}/"
    response = as_persona("volunteer").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(
        action="resources.resourceattachment.downloaded", object_id=str(attachment.pk)
    ).exists()
    assert as_persona("volunteer").get(url + "?thumbnail=1")["Content-Type"] == "image/jpeg"
    assert as_persona("county_a").get(url).status_code == 404
