"""The retention the privacy notices promise (issue 19): sign-ups are kept one year from
the end of the activity, service orders three years from their service or closing; then
the daily jobs anonymise them, keeping the rows (and so the statistics)."""

import datetime

import pytest
from django.utils import timezone

from kepu.activities import services as activity_services
from kepu.activities.jobs import anonymise_expired_signups
from kepu.activities.models import SignUp
from kepu.activities.tests.helpers import age, make_activity
from kepu.core import jobs
from kepu.core.choices import NoticePurpose
from kepu.core.models import AuditEntry, PrivacyNotice
from kepu.volunteering.jobs import anonymise_expired_orders
from kepu.volunteering.models import ServiceOrder
from kepu.volunteering.tests.helpers import make_order

pytestmark = pytest.mark.django_db


def _sign_up(activity, phone):
    notice = PrivacyNotice.current(NoticePurpose.SIGNUP)
    result = activity_services.sign_up(
        activity, name="李同学", phone=phone, key_group="youth", notice=notice
    )
    return result[0] if isinstance(result, tuple) else result


def test_sign_ups_a_year_after_the_activity_are_anonymised_and_counted_still():
    old, recent = make_activity(capacity=5), make_activity(capacity=5, title="近期讲座")
    for phone in ("13800000091", "13800000092"):
        _sign_up(old, phone)
    kept = _sign_up(recent, "13800000093")
    age(old, days=380)  # ended 377 days ago
    age(recent, days=300)  # ended less than a year ago: kept

    assert anonymise_expired_signups() == 2
    rows = SignUp.objects.filter(activity=old)
    assert rows.count() == 2  # the places and statistics keep their rows
    for row in rows:
        assert (row.name, row.phone_enc, row.phone_masked) == ("", "", "")
        assert row.phone_hash == f"purged:{row.pk}"
    kept.refresh_from_db()
    assert kept.name == "李同学" and kept.phone_enc and kept.phone_masked
    entry = AuditEntry.objects.get(action="activities.signup.anonymised")
    assert entry.detail["count"] == 2
    assert anonymise_expired_signups() == 0  # safe to repeat


def test_orders_three_years_after_service_or_closing_are_anonymised():
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365 + 2)
    closed, cancelled, served, open_order = (make_order() for _ in range(4))
    ServiceOrder.objects.filter(pk=closed.pk).update(status="closed", closed_at=long_ago)
    ServiceOrder.objects.filter(pk=cancelled.pk).update(status="cancelled", updated_at=long_ago)
    recent = timezone.now() - datetime.timedelta(days=400)
    ServiceOrder.objects.filter(pk=served.pk).update(status="served", served_at=recent)

    assert anonymise_expired_orders() == 2
    for order in (closed, cancelled):
        order.refresh_from_db()
        assert (order.requester_name, order.requester_phone_enc, order.address) == ("", "", "")
        assert order.requester_phone_masked == "" and order.latitude is None
        assert order.requester_phone_hash == f"purged:{order.pk}"
        assert order.number and order.region_id and order.category  # statistics keep it
    for order in (served, open_order):
        order.refresh_from_db()
        assert order.requester_name == "王大妈" and order.requester_phone_enc
    assert AuditEntry.objects.filter(action="volunteering.serviceorder.anonymised").exists()
    assert anonymise_expired_orders() == 0


def test_the_retention_jobs_are_scheduled_daily():
    from kepu.core import schedules

    for name in ("activities.purge_signups", "volunteering.purge_orders"):
        assert schedules.SCHEDULES[name].at is not None  # daily
        assert name in jobs.KINDS
