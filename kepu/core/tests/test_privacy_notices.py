"""Privacy notices per purpose (issue 19 point 4): each public form shows and asks consent
to the notice of its own purpose, and the record it creates keeps the version the person
read; a required choice that feeds the statistics has no default."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kepu.activities.models import SignUp
from kepu.activities.tests.helpers import make_activity
from kepu.core import clock
from kepu.core.choices import NoticePurpose
from kepu.core.errors import StateConflict
from kepu.core.models import AuditEntry, PrivacyNotice
from kepu.core.services import publish_privacy_notice
from kepu.core.testing import fingerprint
from kepu.people.models import Registration
from kepu.people.tests.authz import valid_id
from kepu.volunteering.models import ServiceOrder

pytestmark = pytest.mark.django_db


def english():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def order_data(**over):
    start = timezone.now() + datetime.timedelta(days=3)
    return {
        "name": "王大妈",
        "phone": "139 0000 1111",
        "category": "health",
        "key_group": "elderly",
        "region": "510104022",
        "address": "春熙路街道某社区活动室",
        "window_start": _local(start),
        "window_end": _local(start + datetime.timedelta(hours=2)),
        "expected_attendees": "40",
        "description": "想请医生给社区老人讲高血压防治。",
        "consent": "on",
        "client_key": str(uuid.uuid4()),
        **over,
    }


def signup_data(**over):
    return {"name": "李同学", "phone": "13800000071", "key_group": "youth", "consent": "on", **over}


def join_data(**over):
    return {
        "name": "申请人乙",
        "doc_type": "id",
        "id_number": valid_id("51010419900909009"),
        "phone": "13700008888",
        "region": "510703",
        "consent": "on",
        **over,
    }


def test_each_purpose_has_its_own_current_notice():
    signup = PrivacyNotice.current(NoticePurpose.SIGNUP)
    order = PrivacyNotice.current(NoticePurpose.ORDER)
    registration = PrivacyNotice.current(NoticePurpose.REGISTRATION)
    assert (signup.version, order.version, registration.version) == ("2025-1", "2025-1", "2025-1")
    assert "报名" in signup.title and "点单" in order.title and "人才" in registration.title
    # What each form collects, and nothing it does not: the sign-up and the order never
    # ask for a document number; the registration does.
    assert "证件号码" in registration.text and "不收集身份证件号码" in signup.text
    assert "不收集身份证件号码" in order.text
    for notice in (signup, order):
        for part in (
            "收集的信息",
            "处理目的",
            "查看范围",
            "保存期限",
            "个人信息保护法",
            "撤回同意",
        ):
            assert part in notice.text
        assert "Personal Information Protection Law" in notice.text_en
    assert PrivacyNotice.current(NoticePurpose.SURVEY) is None


def test_the_notice_page_shows_the_current_version_in_both_languages():
    url = reverse("core:privacy_notice", args=["signup"])
    page = Client().get(url).content.decode()
    assert "科普活动报名个人信息处理告知书" in page and "2025-1" in page
    english_page = english().get(url).content.decode()
    assert "Notice on the processing of personal information: activity sign-up" in english_page
    assert "The Chinese text is the binding one." in english_page
    assert Client().get(reverse("core:privacy_notice", args=["contest"])).status_code == 404
    assert Client().get("/privacy/nothing/").status_code == 404


@pytest.mark.parametrize(
    "url, purpose",
    [
        (lambda: reverse("volunteering:order_new"), "order"),
        (lambda: reverse("people:join_form", args=["volunteer"]), "registration"),
    ],
)
def test_each_form_shows_its_own_notice_and_links_to_it(url, purpose):
    page = Client().get(url()).content.decode()
    notice = PrivacyNotice.current(purpose)
    assert notice.title in page and reverse("core:privacy_notice", args=[purpose]) in page
    assert f'name="notice_version" value="{notice.version}"' in page
    talent = PrivacyNotice.current(NoticePurpose.REGISTRATION)
    if purpose != "registration":
        assert talent.title not in page


def test_sign_up_records_the_sign_up_notice_and_shows_it():
    activity = make_activity(capacity=5)
    url = reverse("activities:event", args=[activity.pk])
    page = Client().get(url).content.decode()
    notice = PrivacyNotice.current(NoticePurpose.SIGNUP)
    assert notice.title in page and "科普人才与志愿者个人信息处理告知书" not in page
    assert Client().post(url, signup_data(notice_version="2025-1")).status_code == 302
    assert SignUp.objects.get(activity=activity).notice == notice


def test_order_and_join_record_their_notice_version():
    assert Client().post(reverse("volunteering:order_new"), order_data()).status_code == 302
    assert ServiceOrder.objects.get().notice == PrivacyNotice.current(NoticePurpose.ORDER)
    join = reverse("people:join_form", args=["volunteer"])
    assert Client().post(join, join_data(notice_version="2025-1")).status_code == 302
    registration = Registration.objects.get(person__name="申请人乙")
    assert registration.notice == PrivacyNotice.current(NoticePurpose.REGISTRATION)
    assert registration.consented_at is not None


def test_consent_is_recorded_against_the_version_the_form_showed():
    """A new version comes into force while the form is open: the person consented to the
    one they read; a fresh form shows and records the new one."""
    activity = make_activity(capacity=5)
    url = reverse("activities:event", args=[activity.pk])
    old = PrivacyNotice.current(NoticePurpose.SIGNUP)
    new = publish_privacy_notice(
        actor=None,
        purpose="signup",
        version="2026-1",
        title="科普活动报名个人信息处理告知书（修订）",
        text="修订后的告知内容。",
    )
    assert AuditEntry.objects.filter(action="core.privacynotice.published").count() == 1
    assert Client().post(url, signup_data(notice_version=old.version)).status_code == 302
    assert SignUp.objects.get(phone_masked="138****0071").notice == old
    assert 'value="2026-1"' in Client().get(url).content.decode()
    response = Client().post(url, signup_data(phone="13800000072", notice_version="2026-1"))
    assert response.status_code == 302
    assert SignUp.objects.get(phone_masked="138****0072").notice == new
    # An unknown version (a forged form) records the current one, never nothing.
    Client().post(url, signup_data(phone="13800000073", notice_version="1999-9"))
    assert SignUp.objects.get(phone_masked="138****0073").notice == new
    page = Client().get(reverse("core:privacy_notice", args=["signup"])).content.decode()
    assert "修订后的告知内容。" in page and old.text[:30] in page  # the earlier version


def test_a_version_is_published_once_and_a_future_one_waits():
    with pytest.raises(StateConflict):
        publish_privacy_notice(
            actor=None, purpose="order", version="2025-1", title="重复", text="重复"
        )
    future = clock.now() + datetime.timedelta(days=10)
    publish_privacy_notice(
        actor=None,
        purpose="order",
        version="2027-1",
        title="将来",
        text="将来",
        effective_at=future,
    )
    assert PrivacyNotice.current("order").version == "2025-1"
    with clock.frozen(future + datetime.timedelta(minutes=1)):
        assert PrivacyNotice.current("order").version == "2027-1"


def test_the_command_publishes_a_version_from_files(tmp_path):
    text = tmp_path / "zh.txt"
    text.write_text("问卷告知正文。", encoding="utf-8")
    call_command(
        "publish_privacy_notice", "survey", "2026-1", "--title", "问卷告知书", "--text", str(text)
    )
    assert PrivacyNotice.current("survey").text == "问卷告知正文。"


def test_the_sign_up_group_has_no_default_and_a_clear_error():
    activity = make_activity(capacity=5)
    url = reverse("activities:event", args=[activity.pk])
    page = Client().get(url).content.decode()
    start = page.index('name="key_group"')
    select = page[start : page.index("</select>", start)]
    assert '<option value="" selected>' in select and "selected" not in select.replace(
        '<option value="" selected>', ""
    )
    before = fingerprint()
    response = english().post(url, signup_data(key_group=""))
    assert response.status_code == 400
    assert "Choose the group you belong to." in response.content.decode()
    assert fingerprint() == before


def test_the_order_form_has_no_default_for_its_statistics_choices():
    page = Client().get(reverse("volunteering:order_new")).content.decode()
    for name in ("category", "key_group"):
        start = page.index(f'name="{name}"')
        select = page[start : page.index("</select>", start)]
        assert '<option value="" selected>' in select


def test_the_services_refuse_a_consent_to_another_purposes_notice():
    from kepu.activities import services as activity_services
    from kepu.core.errors import DomainError

    activity = make_activity(capacity=5)
    talent = PrivacyNotice.current(NoticePurpose.REGISTRATION)
    with translation.override("en"), pytest.raises(DomainError, match="does not belong to this"):
        activity_services.sign_up(
            activity, name="王五", phone="13800000081", key_group="youth", notice=talent
        )
    assert not SignUp.objects.filter(activity=activity).exists()
