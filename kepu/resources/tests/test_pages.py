"""The back-office catalog pages through HTTP, as the personas: the scoped list with its
filters, search and audited export; applying for an entry (a type chosen first, saved as
a draft or submitted, once however often the form is posted) as a county, a member unit
and an individual; the completeness check choosing experts; the decision publishing with
a listing number; edits of a published entry becoming a new version with a readable
diff; management; attachments checked by content, served scoped."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry
from kepu.resources import services
from kepu.resources.choices import ResourceStatus, Verdict, VersionStatus
from kepu.resources.models import Resource, ResourceAttachment, ReviewAssignment
from kepu.resources.tests.helpers import (
    fake_pdf_upload,
    make_expert,
    make_resource,
    png_upload,
    publish,
    region,
    to_review,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def token(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def local_expert(username="expert-jj", name="锦江专家"):
    """An expert living in county A, so county A's officers can assign them."""
    return make_expert(username, name, organization="", code="510104")


def place_post(**over) -> dict:
    data = {
        "organization": "锦江区科学技术协会",
        "title": "锦江区青少年科技馆",
        "summary": "面向中小学生的综合性科技馆。",
        "description": "设有机器人、航天展区。",
        "keywords": "科技馆、青少年",
        "url": "",
        "region": "510104",
        "place_kind": "sciencemuseum",
        "address": "成都市锦江区东大街100号",
        "latitude": "30.651600",
        "longitude": "104.083000",
        "opening_hours": "周二至周日 9:00—17:00",
        "capacity": "800",
        "booking_info": "",
        "groups": ["youth", "general"],
        "topics": ["space"],
        "note": "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def form_data(page) -> dict:
    """What the edit form shows, as it would be posted back unchanged."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value if isinstance(value, list) else str(value)
    return data


def create_url(kind="place"):
    return f"{reverse('resources:resource_create')}?type={kind}"


def detail(resource):
    return reverse("resources:resource_detail", args=[resource.pk])


def file_all_reviews(version, *, verdict=Verdict.ACCURATE, comments=""):
    for assignment in version.assignments.all():
        services.file_review(
            assignment,
            actor=assignment.reviewer.user,
            verdict=verdict,
            comments=comments,
            facts_correct=True,
            sources_reliable=verdict == Verdict.ACCURATE,
            fits_audience=True,
        )


# --- the list, search, filters and export -----------------------------------------------


def test_the_list_shows_only_the_entries_of_the_officers_scope(as_persona):
    make_resource(title="锦江区天文馆")
    make_resource(
        title="涪城区地质博物馆",
        organization="涪城区科学技术协会",
        code="510703",
        latitude="31.467500",
        longitude="104.679000",
    )
    page = as_persona("county_a").get(reverse("resources:resource_list")).content.decode()
    assert "锦江区天文馆" in page and "涪城区地质博物馆" not in page
    page = as_persona("county_b").get(reverse("resources:resource_list")).content.decode()
    assert "涪城区地质博物馆" in page and "锦江区天文馆" not in page
    page = as_persona("province").get(reverse("resources:resource_list")).content.decode()
    assert "涪城区地质博物馆" in page and "锦江区天文馆" in page


def test_search_and_filters(as_persona):
    place = make_resource()  # 锦江区青少年科技馆
    work = make_resource(resource_type="work")  # 地震来了怎么办, emergency library
    garden = make_resource(title="锦江区植物园", summary="城市植物园。", keywords="植物")
    publish(garden, memberships=[local_expert()[2]])
    client = as_persona("county_a")
    url = reverse("resources:resource_list")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return {t for t in ("锦江区青少年科技馆", "地震来了怎么办", "锦江区植物园") if t in page}

    assert titles(q="科技馆") == {place.title}
    assert titles(q="地震") == {work.title, place.title}  # the place's keywords: 地震科普
    assert titles(type="work") == {work.title}
    assert titles(emergency="yes") == {work.title}
    assert titles(group="elderly") == {work.title}
    assert titles(topic="earthquake") == {work.title}
    assert titles(status="published") == {"锦江区植物园"}
    assert titles(stage="draft") == {place.title, work.title}
    assert titles(due="soon") == set()
    assert titles(region="510104") == {place.title, work.title, "锦江区植物园"}
    # A region outside the scope shows nothing rather than everything.
    assert titles(region="510703") == set()


def test_review_due_filter_and_overdue_marking(as_persona):
    resource = publish(make_resource(title="锦江区植物园"), memberships=[local_expert()[2]])
    Resource.objects.filter(pk=resource.pk).update(review_by="2020-01-01")
    client = as_persona("county_a")
    page = client.get(reverse("resources:resource_list"), {"due": "overdue"}).content.decode()
    assert "锦江区植物园" in page and "text-danger" in page
    page = client.get(reverse("resources:resource_list"), {"due": "soon"}).content.decode()
    assert "锦江区植物园" not in page


def test_the_list_runs_a_bounded_number_of_queries(as_persona, django_assert_max_num_queries):
    for i in range(12):
        make_resource(title=f"锦江区科普点{i}")
    client = as_persona("county_a")
    client.get(reverse("resources:resource_list"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("resources:resource_list"))
    assert response.status_code == 200


def test_export_is_scoped_filtered_audited_and_names_no_applicant(as_persona):
    make_resource(title="锦江区天文馆")
    make_resource(resource_type="work")
    volunteer = user("demo-volunteer")
    services.create_resource(
        actor=volunteer,
        resource_type="work",
        organization=None,
        content={
            "title": "个人科普短文",
            "region": region("510104"),
            "summary": "个人创作。",
            "work_kind": "article",
            "authors": "个人",
            "groups": ["youth"],
        },
    )
    make_resource(title="涪城区地质博物馆", organization="涪城区科学技术协会", code="510703")
    response = as_persona("county_a").get(reverse("resources:resource_export"), {"type": "work"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    cells = {str(cell) for row in rows for cell in row}
    assert "地震来了怎么办" in cells and "个人科普短文" in cells
    assert "锦江区天文馆" not in cells and "涪城区地质博物馆" not in cells
    assert volunteer.display_name not in cells and volunteer.username not in cells
    entry = AuditEntry.objects.get(action="resources.resource.exported")
    assert entry.detail["rows"] == 2 and entry.detail["filters"] == {"type": "work"}
    assert as_persona("volunteer").get(reverse("resources:resource_export")).status_code == 403


# --- applying ---------------------------------------------------------------------------


def test_the_type_chooser_offers_the_seven_types(as_persona):
    page = as_persona("county_a").get(reverse("resources:resource_create")).content.decode()
    for kind in ("place", "facility", "product", "work", "info", "heritage", "policy"):
        assert f'href="?type={kind}"' in page
    page = as_persona("county_a").get(create_url("policy")).content.decode()
    assert 'name="issuer"' in page and 'name="body"' in page
    assert 'name="place_kind"' not in page and 'name="authors"' not in page


def test_county_a_saves_a_place_as_draft_then_another_submitted(as_persona):
    client = as_persona("county_a")
    page = client.get(create_url())
    response = client.post(create_url(), {**place_post(), "form_token": token(page)})
    resource = Resource.objects.get(title="锦江区青少年科技馆")
    assert response.status_code == 302 and response.url == detail(resource)
    assert resource.organization.name == "锦江区科学技术协会"
    assert resource.region.code == "510104" and resource.capacity == 800
    assert resource.created_by.username == "demo-county-a"
    assert resource.open_version().status == VersionStatus.DRAFT
    assert set(resource.codes("group")) == {"youth", "general"}

    page = client.get(create_url())
    response = client.post(
        create_url(),
        {**place_post(title="锦江区天文台"), "form_token": token(page), "submit": "1"},
    )
    submitted = Resource.objects.get(title="锦江区天文台")
    assert response.status_code == 302
    assert submitted.open_version().status == VersionStatus.SUBMITTED
    assert client.get(detail(submitted)).status_code == 200


def test_posting_the_form_twice_creates_one_entry(as_persona):
    client = as_persona("county_a")
    data = {**place_post(), "form_token": token(client.get(create_url()))}
    first = client.post(create_url(), data)
    second = client.post(create_url(), data)
    assert Resource.objects.filter(title="锦江区青少年科技馆").count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url


def test_errors_are_shown_on_the_form_and_nothing_is_saved(as_persona):
    client = as_persona("county_a")
    response = client.post(create_url(), place_post(title="", groups=[]))
    assert response.status_code == 400  # a refused form is shown again with 400 (form_page)
    assert response.context["form"].errors.keys() >= {"title", "groups"}
    assert "invalid-feedback" in response.content.decode()
    # Submitting asks for what the type requires; a draft does not.
    response = client.post(create_url(), {**place_post(address=""), "submit": "1"})
    assert response.status_code == 400 and "address" in response.context["form"].errors
    # A rule of the service (emergency entries name their hazards) lands on its field.
    response = client.post(create_url(), place_post(is_emergency="on"))
    assert response.status_code == 400 and "hazards" in response.context["form"].errors
    # An owner unit outside the county is refused.
    response = client.post(create_url(), place_post(organization="涪城区科学技术协会"))
    assert response.status_code == 400 and "organization" in response.context["form"].errors
    assert not Resource.objects.exists()
    response = client.post(create_url(), place_post(address=""))
    assert response.status_code == 302  # the draft may lack the address


def test_member_staff_apply_for_their_own_unit_only(as_persona, demo_orgs):
    client = as_persona("member")
    page = client.get(create_url())
    form = page.context["form"]
    assert list(form.fields["organization"].queryset) == [demo_orgs["member"]]
    response = client.post(create_url(), place_post(organization=str(demo_orgs["a"].pk)))
    assert response.status_code == 400 and "organization" in response.context["form"].errors
    assert not Resource.objects.exists()
    response = client.post(create_url(), place_post(organization=str(demo_orgs["member"].pk)))
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.organization == demo_orgs["member"]
    assert client.get(detail(resource)).status_code == 200


def test_a_volunteer_applies_as_an_individual(as_persona):
    client = as_persona("volunteer")
    page = client.get(create_url("work"))
    assert "organization" not in page.context["form"].fields
    response = client.post(
        create_url("work"),
        {
            "title": "家庭防震小手册",
            "summary": "图文讲解家庭防震准备。",
            "region": "510104",
            "work_kind": "book",
            "authors": "刘洋",
            "groups": ["general"],
            "submit": "1",
        },
    )
    resource = Resource.objects.get(title="家庭防震小手册")
    assert response.status_code == 302
    assert resource.organization is None and resource.created_by.username == "demo-volunteer"
    assert resource.open_version().status == VersionStatus.SUBMITTED
    page = client.get(reverse("resources:resource_list")).content.decode()
    assert "家庭防震小手册" in page


# --- check, review, decision ------------------------------------------------------------


def test_the_completeness_check_sends_the_entry_to_the_chosen_expert(as_persona):
    resource = make_resource(submit=True)
    _account, person, membership = local_expert()
    client = as_persona("county_a")
    page = client.get(reverse("resources:resource_check", args=[resource.pk]))
    assert page.status_code == 200 and person.name in page.content.decode()
    response = client.post(
        reverse("resources:resource_check", args=[resource.pk]),
        {"outcome": "complete", "reviewers": [str(membership.pk)], "due_date": ""},
    )
    assert response.status_code == 302 and response.url == detail(resource)
    assignment = ReviewAssignment.objects.get(version__resource=resource)
    assert assignment.reviewer == person and assignment.due_date is not None
    assert resource.open_version().status == VersionStatus.IN_REVIEW
    # Checked once: the page is no longer offered.
    again = client.get(reverse("resources:resource_check", args=[resource.pk]))
    assert again.status_code == 302


def test_an_incomplete_entry_goes_back_with_the_note(as_persona):
    resource = make_resource(submit=True)
    client = as_persona("county_a")
    url = reverse("resources:resource_check", args=[resource.pk])
    response = client.post(url, {"outcome": "incomplete", "note": ""})
    assert response.status_code == 400 and "note" in response.context["form"].errors
    client.post(url, {"outcome": "incomplete", "note": "请补充开放时间的节假日安排"})
    version = resource.open_version()
    assert version.status == VersionStatus.RETURNED
    assert "节假日安排" in client.get(detail(resource)).content.decode()


def test_publishing_after_the_reviews_gives_the_listing_number(as_persona):
    resource = make_resource()
    version = to_review(resource, memberships=[local_expert()[2]])
    client = as_persona("county_a")
    decide = reverse("resources:resource_decide", args=[resource.pk])
    # Not every review is filed: publishing is refused and shown on the form.
    response = client.post(decide, {"decision": "publish", "note": ""})
    assert response.status_code == 400
    file_all_reviews(version)
    page = client.get(detail(resource)).content.decode()
    assert "锦江专家" in page  # officers see who reviewed
    response = client.post(decide, {"decision": "publish", "note": ""})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED and resource.listing_number
    assert resource.listing_number in client.get(detail(resource)).content.decode()


def test_applicants_see_the_experts_comments_but_not_their_names(as_persona):
    resource = make_resource(title="矩阵外的教育厅资源", organization="四川省教育厅", code="51")
    _account, person, membership = make_expert("expert-prov", "省里专家", organization="")
    version = to_review(resource, memberships=[membership])
    file_all_reviews(version, verdict=Verdict.REVISE, comments="请补充参考文献出处")
    member = as_persona("member")
    page = member.get(detail(resource)).content.decode()
    assert "请补充参考文献出处" not in page  # not before the decision
    province = as_persona("province")
    response = province.post(
        reverse("resources:resource_decide", args=[resource.pk]),
        {"decision": "return", "note": "请按专家意见修改"},
    )
    assert response.status_code == 302
    page = member.get(detail(resource)).content.decode()
    assert "请补充参考文献出处" in page and "请按专家意见修改" in page
    assert "省里专家" not in page
    assert "省里专家" in province.get(detail(resource)).content.decode()


def test_adding_an_expert_while_in_review(as_persona):
    resource = make_resource()
    to_review(resource, memberships=[local_expert()[2]])
    _account, person, second = local_expert("expert-jj2", "锦江二号专家")
    client = as_persona("county_a")
    assert "锦江二号专家" in client.get(detail(resource)).content.decode()
    response = client.post(
        reverse("resources:resource_add_reviewers", args=[resource.pk]),
        {"reviewers": [str(second.pk)], "due_date": ""},
    )
    assert response.status_code == 302
    assert ReviewAssignment.objects.filter(version__resource=resource).count() == 2


# --- versions and management ------------------------------------------------------------


def test_editing_a_published_entry_makes_version_2_and_keeps_the_live_title(as_persona):
    resource = publish(make_resource(), memberships=[local_expert()[2]])
    client = as_persona("county_a")
    url = reverse("resources:resource_update", args=[resource.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["is_live"]
    data = {**form_data(page), "title": "锦江区青少年科技馆（新馆）", "capacity": "1200"}
    response = client.post(url, data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "锦江区青少年科技馆" and resource.status == ResourceStatus.PUBLISHED
    version = resource.open_version()
    assert version.number == 2 and version.data["title"] == "锦江区青少年科技馆（新馆）"

    diff = client.get(reverse("resources:version_detail", args=[resource.pk, 2]))
    page = diff.content.decode()
    assert diff.status_code == 200
    assert "锦江区青少年科技馆（新馆）" in page and "锦江区青少年科技馆</del>" in page
    assert "1200" in page and "800" in page
    assert [r["field"] for r in diff.context["rows"]] == ["title", "capacity"]
    assert client.get(reverse("resources:version_detail", args=[resource.pk, 9])).status_code == 404


def test_an_entry_in_review_cannot_be_edited(as_persona):
    resource = make_resource()
    to_review(resource, memberships=[local_expert()[2]])
    client = as_persona("county_a")
    url = reverse("resources:resource_update", args=[resource.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url == detail(resource)
    client.post(url, place_post(title="改名"))
    resource.refresh_from_db()
    assert resource.title == "锦江区青少年科技馆"


def test_suspend_reinstate_and_withdraw(as_persona):
    resource = publish(make_resource(), memberships=[local_expert()[2]])
    client = as_persona("county_a")

    def manage(action, **data):
        return client.post(reverse("resources:resource_manage", args=[resource.pk, action]), data)

    assert manage("suspend").status_code == 302  # no reason: refused with a message
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    manage("suspend", reason="场馆装修闭馆")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUSPENDED and resource.status_reason == "场馆装修闭馆"
    assert "场馆装修闭馆" in client.get(detail(resource)).content.decode()
    manage("reinstate")
    manage("withdraw", reason="场馆已关闭")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN
    assert manage("explode").status_code == 404
    assert (
        client.get(reverse("resources:resource_manage", args=[resource.pk, "renew"])).status_code
        == 405
    )
    # The applicant unit cannot manage.
    member_entry = publish(
        make_resource(title="教育厅场馆", organization="四川省教育厅", code="51"),
        memberships=[make_expert()[2]],
    )
    response = as_persona("member").post(
        reverse("resources:resource_manage", args=[member_entry.pk, "suspend"]),
        {"reason": "x"},
    )
    assert response.status_code == 403


def test_submitting_from_the_entry_page(as_persona):
    resource = make_resource(address="", latitude=None, longitude=None)
    client = as_persona("county_a")
    url = reverse("resources:resource_submit", args=[resource.pk])
    response = client.post(url)
    assert response.status_code == 302 and flashed(response)
    assert resource.open_version().status == VersionStatus.DRAFT
    assert client.get(url).status_code == 405
    resource = make_resource(title="完整的科技馆")
    client.post(reverse("resources:resource_submit", args=[resource.pk]))
    assert resource.open_version().status == VersionStatus.SUBMITTED


# --- attachments ------------------------------------------------------------------------


def test_an_uploaded_image_gets_a_thumbnail_and_downloads_are_audited(as_persona):
    resource = make_resource()
    client = as_persona("county_a")
    response = client.post(
        reverse("resources:attachment_upload", args=[resource.pk]),
        {"file": png_upload("展厅.png"), "caption": "一号展厅"},
    )
    assert response.status_code == 302
    attachment = ResourceAttachment.objects.get(resource=resource)
    assert attachment.caption == "一号展厅" and attachment.kind == "image"
    thumb = client.get(reverse("resources:attachment_thumbnail", args=[resource.pk, attachment.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"
    download = client.get(
        reverse("resources:attachment_download", args=[resource.pk, attachment.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert "%E5%B1%95%E5%8E%85.png" in download["Content-Disposition"]  # 展厅.png
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(
        action="resources.resourceattachment.downloaded", object_id=str(attachment.pk)
    ).exists()
    page = client.get(detail(resource)).content.decode()
    assert reverse("resources:attachment_thumbnail", args=[resource.pk, attachment.pk]) in page
    # The applicant removes a file that is not public yet.
    response = client.post(
        reverse("resources:attachment_delete", args=[resource.pk, attachment.pk])
    )
    assert response.status_code == 302 and not ResourceAttachment.objects.exists()


def test_a_file_whose_content_does_not_match_its_type_is_refused(as_persona):
    resource = make_resource()
    response = as_persona("county_a").post(
        reverse("resources:attachment_upload", args=[resource.pk]),
        {"file": fake_pdf_upload("伪装.pdf"), "caption": ""},
    )
    assert response.status_code == 302
    messages = flashed(response)
    assert messages and "伪装.pdf" in messages[0]
    assert not ResourceAttachment.objects.exists()


def test_an_image_declaring_13000_by_13000_pixels_is_refused_before_decoding(as_persona):
    """Security #1: a few bytes declaring a 169-megapixel picture (≈600 MB decoded) are
    refused from the header; the page says why and the server keeps answering."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kepu.core.tests.hostile import png_header

    resource = make_resource()
    client = as_persona("county_a")
    bomb = SimpleUploadedFile("巨图.png", png_header(13000, 13000), content_type="image/png")
    response = client.post(
        reverse("resources:attachment_upload", args=[resource.pk]), {"file": bomb, "caption": ""}
    )
    assert response.status_code == 302
    assert flashed(response) == [
        "“巨图.png”为 13000 × 13000 像素（169.0 百万像素），最多接受 40 百万像素。"
        "请缩小图片后重新上传。"
    ]
    assert not ResourceAttachment.objects.exists()
    assert client.get(detail(resource)).status_code == 200


def test_county_a_cannot_reach_county_b_files(as_persona):
    resource = make_resource(
        title="涪城区地质博物馆", organization="涪城区科学技术协会", code="510703"
    )
    attachment = services.add_attachment(resource, actor=None, upload=png_upload())
    client = as_persona("county_a")
    for name in ("attachment_download", "attachment_thumbnail"):
        url = reverse(f"resources:{name}", args=[resource.pk, attachment.pk])
        assert client.get(url).status_code == 404
    url = reverse("resources:attachment_delete", args=[resource.pk, attachment.pk])
    assert client.post(url).status_code == 404
    assert ResourceAttachment.objects.filter(pk=attachment.pk).exists()
    assert client.get(detail(resource)).status_code == 404
    # Nor, through county A's entry, a file of county B's.
    own = make_resource()
    url = reverse("resources:attachment_download", args=[own.pk, attachment.pk])
    assert client.get(url).status_code == 404


# --- the queue --------------------------------------------------------------------------


def test_the_queue_lists_what_waits_for_the_officer(as_persona):
    make_resource(title="待审查的科技馆", submit=True)
    in_review = make_resource(title="审核中的科技馆")
    _a, _p, first = local_expert()
    _b, _q, second = local_expert("expert-jj2", "锦江二号专家")
    version = to_review(in_review, memberships=[first, second])
    one = version.assignments.first()
    services.file_review(
        one,
        actor=one.reviewer.user,
        verdict=Verdict.ACCURATE,
        facts_correct=True,
        sources_reliable=True,
        fits_audience=True,
    )
    ready = make_resource(title="可决定的科技馆")
    file_all_reviews(to_review(ready, memberships=[first]))
    publish(make_resource(title="将到期的科技馆"), memberships=[first])
    due = Resource.objects.get(title="将到期的科技馆")
    Resource.objects.filter(pk=due.pk).update(review_by="2020-01-01")
    response = as_persona("county_a").get(reverse("resources:queue"))
    assert response.status_code == 200
    sections = {s["key"]: [r.title for r in s["rows"]] for s in response.context["sections"]}
    assert sections == {
        "check": ["待审查的科技馆"],
        "decide": ["可决定的科技馆"],
        "review": ["审核中的科技馆"],
        "due": ["将到期的科技馆"],
    }
    review_row = response.context["sections"][2]["rows"][0]
    assert (review_row.reviews_filed, review_row.reviews_total) == (1, 2)
    assert (
        as_persona("county_b").get(reverse("resources:queue")).context["sections"][0]["count"] == 0
    )
    assert as_persona("member").get(reverse("resources:queue")).status_code == 403
