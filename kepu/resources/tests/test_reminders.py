"""The daily reminder command: entries whose review-by date is near are reminded once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from kepu.core.models import AuditEntry, User
from kepu.resources.models import Resource
from kepu.resources.tests.helpers import make_resource, publish

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("resource_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due():
    today = datetime.date.today()
    officer = User.objects.get(username="demo-county-a")
    User.objects.filter(pk=officer.pk).update(email="county-a@example.cn")
    soon = publish(make_resource(title="提醒测试即将到期", actor=officer))
    later = publish(make_resource(title="提醒测试还早"))
    Resource.objects.filter(pk=soon.pk).update(review_by=today + datetime.timedelta(days=20))
    Resource.objects.filter(pk=later.pk).update(review_by=today + datetime.timedelta(days=200))
    return soon, later


def test_reminds_entries_due_within_the_window_once(due, django_capture_on_commit_callbacks):
    soon, later = due
    mail.outbox.clear()  # the fixture's own mail (the review requests of publishing)
    with django_capture_on_commit_callbacks(execute=True):
        assert run("--days", "30").startswith("1 ")
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    assert AuditEntry.objects.filter(
        action="resources.resource.reminded", object_id=str(soon.pk)
    ).exists()
    sent = [m for m in mail.outbox if "提醒测试即将到期" in m.subject]
    assert len(sent) == 1 and "county-a@example.cn" in sent[0].to
    assert run("--days", "30").startswith("0 ")  # once per review period


def test_the_date_option_looks_ahead_from_another_day(due):
    soon, later = due
    future = (datetime.date.today() + datetime.timedelta(days=190)).isoformat()
    assert run("--days", "30", "--date", future).startswith("2 ")
    assert (
        Resource.objects.filter(pk__in=[soon.pk, later.pk], reminded_at__isnull=True).count() == 0
    )


def test_bad_options_are_refused():
    with pytest.raises(CommandError):
        run("--date", "2025-13-01")
    with pytest.raises(CommandError):
        run("--days", "-1")
