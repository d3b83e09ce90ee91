"""Four-eyes on progress reports (security problem #13): whoever submitted a report does
not accept or return it, even when they also hold an officer's role; another officer
does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.core import services as core_services
from kepu.core.choices import Role
from kepu.core.models import Region
from kepu.core.testing import fingerprint, login_client
from kepu.plans import services
from kepu.plans.models import ProgressReport
from kepu.plans.tests.helpers import make_plan, org

pytestmark = pytest.mark.django_db
MESSAGE = "You submitted this yourself; another officer must approve it."
LAST_YEAR = datetime.date(timezone.localdate().year - 1, 1, 1)


def two_hats():
    """An officer of the province who is also staff of 四川省教育厅 (both roles)."""
    user = core_services.create_user(
        actor=None, username="two-hats", password="Two#Hats2025x", must_change_password=False
    )
    core_services.assign_role(
        user, actor=None, role=Role.REGIONAL_OFFICER, region=Region.objects.get(code="51")
    )
    core_services.assign_role(
        user, actor=None, role=Role.MEMBER_STAFF, organization=org("四川省教育厅")
    )
    return user


def submitted_report(user):
    plan = make_plan(start=LAST_YEAR)
    report = (
        ProgressReport.objects.filter(task__plan=plan, organization=org("四川省教育厅"))
        .order_by("period_start")
        .first()
    )
    return services.submit_report(report, actor=user, text="开展培训", progress=40)


def test_the_submitter_cannot_accept_their_own_report(client, as_persona):
    user = two_hats()
    report = submitted_report(user)
    own = login_client(client, "two-hats")
    own.cookies["django_language"] = "en"  # the messages in English
    detail = reverse("plans:report_detail", args=[report.pk])
    page = own.get(detail).content.decode()
    assert reverse("plans:report_review", args=[report.pk, "accept"]) not in page
    assert MESSAGE in page
    before = fingerprint()
    for step, data in (("accept", {}), ("return", {"reason": "自己退回"})):
        response = own.post(reverse("plans:report_review", args=[report.pk, step]), data)
        assert response.status_code in (302, 400)
        assert fingerprint() == before, step
    report.refresh_from_db()
    assert report.status == "submitted"
    # Another officer accepts it.
    province = as_persona("province")
    response = province.post(reverse("plans:report_review", args=[report.pk, "accept"]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted" and report.reviewed_by.username == "demo-province"


def test_four_eyes_can_be_switched_off_for_reports(client, settings):
    settings.KEPU_FOUR_EYES = {**settings.KEPU_FOUR_EYES, "reports": False}
    report = submitted_report(two_hats())
    own = login_client(client, "two-hats")
    assert own.post(reverse("plans:report_review", args=[report.pk, "accept"])).status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
