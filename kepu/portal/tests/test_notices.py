"""The notice workflow through HTTP as the personas: draft, submit, four-eyes review,
return with a reason, withdraw; scope (county A's notices are not county B's business);
refusals change nothing; every step audited."""

import pytest
from django.urls import reverse

from kepu.core.audit import ACTION_LABELS
from kepu.core.models import AuditEntry, User
from kepu.core.testing import fingerprint
from kepu.portal import services
from kepu.portal.models import Notice
from kepu.portal.tests.helpers import make_notice

pytestmark = pytest.mark.django_db

NEW = {
    "title": "锦江区科普讲座通知",
    "category": "announcement",
    "region": "510104",
    "issuer": "锦江区科学技术协会",
    "body": "第一段：时间地点。\n\n第二段：报名方式。",
}


def _detail(notice):
    return reverse("portal:notice_detail", args=[notice.pk])


def _review(notice, step):
    return reverse("portal:notice_review", args=[notice.pk, step])


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_an_officer_drafts_and_submits_and_another_publishes(as_persona, client):
    county_a = _english(as_persona("county_a"))
    response = county_a.post(reverse("portal:notice_create"), NEW)
    assert response.status_code == 302
    notice = Notice.objects.get(title=NEW["title"])
    assert (notice.status, notice.region.code, notice.created_by.username) == (
        "draft",
        "510104",
        "demo-county-a",
    )
    assert notice.paragraphs() == ["第一段：时间地点。", "第二段：报名方式。"]
    # A draft is not public.
    assert client.get(reverse("portal:public_notice_detail", args=[notice.pk])).status_code == 404
    assert county_a.post(reverse("portal:notice_submit", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "submitted" and notice.submitted_by.username == "demo-county-a"

    # Four-eyes: the author cannot publish it, nor find it in their queue.
    page = county_a.get(_detail(notice)).content.decode()
    assert _review(notice, "publish") not in page
    assert "You submitted this yourself; another officer must approve it." in page
    queue = county_a.get(reverse("portal:notice_queue"))
    assert notice.pk not in {n.pk for n in queue.context["page"]}
    before = fingerprint()
    response = county_a.post(_review(notice, "publish"))
    assert response.status_code == 400
    assert "You submitted this yourself; another officer must approve it." in (
        response.content.decode()
    )
    assert fingerprint() == before

    # County B never reaches it; the city above publishes it.
    county_b = as_persona("county_b")
    assert county_b.get(_detail(notice)).status_code == 404
    assert county_b.post(_review(notice, "publish")).status_code == 404
    assert fingerprint() == before
    city = as_persona("city")
    assert notice.pk in {n.pk for n in city.get(reverse("portal:notice_queue")).context["page"]}
    assert city.post(_review(notice, "publish")).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "published" and notice.reviewed_by.username == "demo-city"
    assert notice.published_at is not None

    public = client.get(reverse("portal:public_notice_detail", args=[notice.pk]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "第二段：报名方式。" in text and "锦江区科学技术协会" in text
    actions = list(
        AuditEntry.objects.filter(object_type="portal.notice", object_id=str(notice.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "portal.notice.created",
        "portal.notice.submitted",
        "portal.notice.published",
    ]


def test_return_needs_a_reason_then_the_author_corrects_and_resubmits(as_persona):
    author = User.objects.get(username="demo-county-a")
    notice = make_notice("510104", state="submitted", actor=author)
    city = _english(as_persona("city"))
    before = fingerprint()
    response = city.post(_review(notice, "return"), {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason, so that the author can act on it." in response.content.decode()
    assert fingerprint() == before
    assert city.post(_review(notice, "return"), {"reason": "请补充联系人"}).status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.review_note) == ("returned", "请补充联系人")
    county_a = as_persona("county_a")
    assert "请补充联系人" in county_a.get(_detail(notice)).content.decode()
    edit = reverse("portal:notice_update", args=[notice.pk])
    assert county_a.post(edit, {**NEW, "title": "改过的通知"}).status_code == 302
    assert county_a.post(reverse("portal:notice_submit", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.status) == ("改过的通知", "submitted")
    # Reviewing twice: the second decision is a conflict, shown on the page.
    assert city.post(_review(notice, "publish")).status_code == 302
    response = city.post(_review(notice, "publish"))
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.status == "published"


def test_a_published_notice_is_withdrawn_with_a_reason(as_persona, client):
    notice = make_notice("510104", state="published")
    public = reverse("portal:public_notice_detail", args=[notice.pk])
    assert client.get(public).status_code == 200
    county_a = _english(as_persona("county_a"))
    url = reverse("portal:notice_withdraw", args=[notice.pk])
    before = fingerprint()
    assert county_a.post(url, {"withdraw-reason": ""}).status_code == 400
    assert fingerprint() == before
    assert county_a.post(url, {"withdraw-reason": "活动延期"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "withdrawn" and notice.withdrawn_at is not None
    assert client.get(public).status_code == 404
    assert notice.title not in client.get(reverse("portal:public_notice_list")).content.decode()


def test_a_county_officer_cannot_place_a_notice_in_another_county(as_persona):
    county_a = as_persona("county_a")
    before = fingerprint()
    response = county_a.post(reverse("portal:notice_create"), {**NEW, "region": "510703"})
    assert response.status_code == 400
    assert fingerprint() == before


def test_the_list_and_export_stay_in_scope(as_persona):
    mine = make_notice("510104", title="锦江区的公告")
    theirs = make_notice("510703", title="涪城区的公告")
    page = as_persona("county_a").get(reverse("portal:notice_list"))
    pks = {n.pk for n in page.context["page"]}
    assert mine.pk in pks and theirs.pk not in pks
    # A published notice of another county is public, but not in the back office list.
    published = make_notice("510703", title="涪城区已发布", state="published")
    page = as_persona("county_a").get(reverse("portal:notice_list"))
    assert published.pk not in {n.pk for n in page.context["page"]}
    response = as_persona("county_a").get(reverse("portal:notice_export"))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="portal.notice.exported").exists()
    filtered = as_persona("province").get(reverse("portal:notice_list"), {"status": "published"})
    assert {n.status for n in filtered.context["page"]} == {"published"}


def test_the_service_refuses_wrong_states():
    from kepu.core.errors import StateConflict

    notice = make_notice("510104")
    with pytest.raises(StateConflict):
        services.review_notice(notice, actor=None, step="publish")
    with pytest.raises(StateConflict):
        services.withdraw_notice(notice, actor=None, reason="不需要了")
    published = make_notice("510104", state="published")
    with pytest.raises(StateConflict):
        services.update_notice(published, actor=None, title="改")


def test_every_audit_code_has_a_label():
    for verb in ("created", "updated", "submitted", "published", "returned", "withdrawn"):
        assert f"portal.notice.{verb}" in ACTION_LABELS
    assert "portal.notice.exported" in ACTION_LABELS
