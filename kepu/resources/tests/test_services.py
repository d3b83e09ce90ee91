"""The catalog workflow through its services: apply, check, expert review avoiding
conflicts, publish with a listing number and review-by date, versions while live,
dynamic management, reminders and attachments checked by content."""

import datetime

import pytest

from kepu.core import scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry
from kepu.core.search import search
from kepu.resources import services
from kepu.resources.choices import Decision, ResourceStatus, Verdict, VersionStatus
from kepu.resources.models import Resource
from kepu.resources.tests.helpers import (
    fake_pdf_upload,
    make_expert,
    make_resource,
    mp4_upload,
    org,
    pdf_upload,
    png_upload,
    publish,
    region,
    to_review,
    user,
)

pytestmark = pytest.mark.django_db


def test_the_first_version_is_published_with_a_listing_number_and_review_by_date():
    officer = user("demo-county-a")
    resource = make_resource(actor=user("demo-county-a"))
    assert resource.status == ResourceStatus.DRAFT
    publish(resource, officer=officer)
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.listing_number.startswith("KP51-") and resource.listing_number.endswith(
        f"C{resource.pk:06d}"
    )
    today = datetime.date.today()
    assert resource.review_by.year == today.year + 2
    assert resource.live_version == 1
    actions = set(
        AuditEntry.objects.filter(
            object_type="resources.resource", object_id=str(resource.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "resources.resource.created",
        "resources.resource.submitted",
        "resources.resource.checked",
        "resources.resource.published",
    } <= actions
    assert [e.action for e in resource.events.all()] == [
        "created",
        "submitted",
        "checked",
        "reviewed",
        "published",
    ]


def test_submitting_names_the_missing_fields():
    resource = make_resource(address="", latitude=None, longitude=None)
    with pytest.raises(DomainError) as exc:
        services.submit_version(resource, actor=None)
    assert "地址" in str(exc.value) and "地图" in str(exc.value)


def test_an_expert_from_the_owner_unit_cannot_review():
    resource = make_resource(organization="四川大学", code="510107", title="四川大学开放实验室")
    services.submit_version(resource, actor=None)
    _account, _person, insider = make_expert("expert-insider", "内部专家", organization="四川大学")
    _account, _person, outsider = make_expert("expert-outside", "外部专家", organization="")
    candidates = services.reviewer_candidates(resource, user("demo-province"))
    names = {m.person.name for m in candidates}
    assert "外部专家" in names and "内部专家" not in names
    with pytest.raises(DomainError) as exc:
        services.check_completeness(
            resource, actor=None, complete=True, reviewers=[insider, outsider]
        )
    assert "内部专家" in str(exc.value)
    assert resource.open_version().status == VersionStatus.SUBMITTED


def test_the_applicant_cannot_review_their_own_application():
    account, person, membership = make_expert("expert-self", "自荐专家", organization="")
    resource = make_resource(organization=None, actor=None)
    Resource.objects.filter(pk=resource.pk).update(created_by=account)
    resource.refresh_from_db()
    assert services.conflict_reason(resource, person)
    # The rule is defined once (rules.py) and read by pages, API, services and queues.
    assert scope.refusal(account, resource, "review")
    assert not scope.actionable(account, Resource, "review").filter(pk=resource.pk).exists()
    assert person.pk not in {
        m.person_id for m in services.reviewer_candidates(resource, user("demo-province"))
    }


def test_a_review_of_ones_own_application_cannot_be_filed():
    resource = make_resource()
    account, _person, membership = make_expert()
    assignment = to_review(resource, memberships=[membership]).assignments.get()
    Resource.objects.filter(pk=resource.pk).update(created_by=account)
    assignment.refresh_from_db()
    with pytest.raises(DomainError):
        services.file_review(
            assignment,
            actor=account,
            verdict=Verdict.ACCURATE,
            facts_correct=True,
            sources_reliable=True,
            fits_audience=True,
        )
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_only_the_assigned_expert_files_a_review_once():
    resource = make_resource()
    account, _person, membership = make_expert()
    version = to_review(resource, memberships=[membership])
    assignment = version.assignments.get()
    kwargs = dict(facts_correct=True, sources_reliable=True, fits_audience=True)
    with pytest.raises(DomainError):
        services.file_review(assignment, actor=user("demo-province"), verdict="accurate", **kwargs)
    with pytest.raises(DomainError):
        services.file_review(assignment, actor=account, verdict=Verdict.REVISE, **kwargs)
    services.file_review(
        assignment, actor=account, verdict=Verdict.REVISE, comments="数据需更新", **kwargs
    )
    with pytest.raises(StateConflict):
        services.file_review(assignment, actor=account, verdict="accurate", **kwargs)


def test_publishing_waits_for_every_review_and_a_returned_version_can_be_resubmitted():
    resource = make_resource()
    _a, _p, first = make_expert("expert-1", "专家甲", organization="")
    _b, _q, second = make_expert("expert-2", "专家乙", organization="")
    version = to_review(resource, memberships=[first, second])
    one = version.assignments.first()
    services.file_review(
        one,
        actor=one.reviewer.user,
        verdict=Verdict.REVISE,
        comments="请补充展区介绍",
        facts_correct=True,
        sources_reliable=False,
        fits_audience=True,
    )
    with pytest.raises(DomainError):
        services.decide(resource, actor=None, decision=Decision.PUBLISH)
    with pytest.raises(DomainError):
        services.decide(resource, actor=None, decision=Decision.RETURN)  # no reasons
    services.decide(resource, actor=None, decision=Decision.RETURN, note="请按专家意见补充")
    assert resource.open_version().status == VersionStatus.RETURNED
    services.update_content(resource, actor=None, content={"description": "新增展区介绍"})
    services.submit_version(resource, actor=None)
    resource.refresh_from_db()
    assert resource.description == "新增展区介绍"
    assert resource.open_version().status == VersionStatus.SUBMITTED


def test_editing_a_published_entry_keeps_the_live_content_until_the_new_version_is_published():
    resource = publish(make_resource())
    version = services.update_content(
        resource, actor=None, content={"title": "锦江区青少年科技馆（新馆）", "capacity": 1200}
    )
    assert version.number == 2 and version.status == VersionStatus.DRAFT
    resource.refresh_from_db()
    assert resource.title == "锦江区青少年科技馆" and resource.status == ResourceStatus.PUBLISHED
    rows = services.version_diff(services.previous_data(version), version.data)
    assert {r["field"] for r in rows} == {"title", "capacity"}
    publish(resource)
    assert resource.title == "锦江区青少年科技馆（新馆）" and resource.capacity == 1200
    assert resource.live_version == 2
    assert list(resource.versions.values_list("number", "status")) == [
        (2, VersionStatus.APPROVED),
        (1, VersionStatus.SUPERSEDED),
    ]
    assert (
        search(Resource.objects.all(), "新馆", fields=Resource.SEARCH_FIELDS)
        .filter(pk=resource.pk)
        .exists()
    )


def test_an_entry_in_review_cannot_be_edited():
    resource = make_resource()
    to_review(resource)
    with pytest.raises(StateConflict):
        services.update_content(resource, actor=None, content={"title": "改名"})


def test_suspend_reinstate_withdraw_and_renew():
    resource = publish(make_resource())
    with pytest.raises(DomainError):
        services.manage(resource, actor=None, action="suspend")
    services.manage(resource, actor=None, action="suspend", reason="场馆装修闭馆")
    assert Resource.objects.published().filter(pk=resource.pk).count() == 0
    with pytest.raises(StateConflict):
        services.manage(resource, actor=None, action="renew")
    services.manage(resource, actor=None, action="reinstate")
    later = datetime.date.today() + datetime.timedelta(days=400)
    services.manage(resource, actor=None, action="renew", today=later)
    resource.refresh_from_db()
    assert resource.review_by.year == later.year + 2
    services.manage(resource, actor=None, action="withdraw", reason="场馆已关闭")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN
    with pytest.raises(StateConflict):
        services.update_content(resource, actor=None, content={"title": "x"})


def test_reminders_go_out_once_before_the_review_by_date(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    resource = publish(make_resource())
    soon = resource.review_by - datetime.timedelta(days=10)
    assert services.send_review_reminders(today=soon - datetime.timedelta(days=100)) == 0
    assert services.send_review_reminders(today=soon) >= 1
    resource.refresh_from_db()
    assert resource.reminded_at is not None
    assert services.send_review_reminders(today=soon) == 0


def test_attachments_are_checked_by_content_and_images_get_a_thumbnail(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    resource = make_resource()
    image = services.add_attachment(resource, actor=None, upload=png_upload())
    assert image.kind == "image" and image.thumbnail and not image.is_live
    services.add_attachment(resource, actor=None, upload=pdf_upload())
    services.add_attachment(resource, actor=None, upload=mp4_upload())
    with pytest.raises(DomainError) as exc:
        services.add_attachment(resource, actor=None, upload=fake_pdf_upload())
    assert "不是真正的 PDF 文件" in str(exc.value)
    assert resource.attachments.count() == 3
    publish(resource)
    assert resource.attachments.filter(is_live=True).count() == 3


def test_a_file_added_to_a_published_entry_waits_for_the_next_version(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    resource = publish(make_resource())
    attachment = services.add_attachment(resource, actor=None, upload=png_upload())
    assert attachment.version.number == 2 and not attachment.is_live


def test_an_officer_places_entries_in_their_own_regions_only():
    with pytest.raises(DomainError):
        make_resource(actor=user("demo-county-b"))
    resource = make_resource(
        actor=user("demo-member"), organization="四川省教育厅", code="51", title="教育厅资源"
    )
    assert resource.organization == org("四川省教育厅")
    with pytest.raises(DomainError):
        make_resource(actor=user("demo-member"), organization="锦江区科学技术协会")
    assert region("510104")


def test_a_county_officer_draws_on_the_provincial_expert_pool():
    resource = make_resource(title="县级资源")
    services.submit_version(resource, actor=None)
    make_expert("expert-province", "省级专家", organization="", code="51")
    names = {m.person.name for m in services.reviewer_candidates(resource, user("demo-county-a"))}
    assert "省级专家" in names


def test_every_audit_code_has_a_label_and_is_a_past_participle():
    from kepu.core.audit import ACTION_LABELS

    officer = user("demo-county-a")
    resource = publish(make_resource(actor=officer), officer=officer)
    for action in ("suspend", "reinstate", "renew", "withdraw"):
        services.manage(resource, actor=officer, action=action, reason="核查")
    codes = set(
        AuditEntry.objects.filter(action__startswith="resources.").values_list("action", flat=True)
    )
    assert codes >= {"resources.resource.suspended", "resources.resource.withdrawn"}
    assert not {code for code in codes if code not in ACTION_LABELS}
    assert not {code for code in codes if not code.endswith(("ed", "wn"))}
    # Entries recorded under the old codes keep their labels.
    assert (
        ACTION_LABELS["resources.resource.suspend"] == ACTION_LABELS["resources.resource.suspended"]
    )
