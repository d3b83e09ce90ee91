"""Notification e-mail through the `core.send_mail` job: sent, retried after a failure
without sending twice what already went out, and not kept once sent."""

import pytest
from django.core import mail as outbox
from django.core.mail.backends.locmem import EmailBackend

from kepu.core import mail
from kepu.core.models import AuditEntry, Job, User

pytestmark = pytest.mark.django_db


def messages(*subjects):
    return [(s, f"{s} 正文", "kepu@localhost", [f"{i}@example.cn"]) for i, s in enumerate(subjects)]


class FlakyBackend(EmailBackend):
    """Refuses each subject starting with "坏" the first time it is sent."""

    refused: set = set()

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.subject.startswith("坏") and message.subject not in self.refused:
                self.refused.add(message.subject)
                raise ConnectionError("mail server went away")
        return super().send_messages(email_messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.refused = set()


def test_messages_are_sent_by_a_job(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    actor = User.objects.get(username="demo-county-a")
    job = mail.send_later(messages("通知一", "通知二"), actor=actor)
    assert job.kind == "core.send_mail" and job.status == "succeeded"
    assert [m.subject for m in outbox.outbox] == ["通知一", "通知二"]
    assert outbox.outbox[1].to == ["1@example.cn"]
    assert job.created_by == actor and job.result == {"sent": 2}
    # The job's record keeps what went out, not the addresses and texts.
    assert "example.cn" not in str(job.params) and "正文" not in str(job.params)
    assert job.params["sent"][0] == {"subject": "通知一", "recipients": 1}
    assert AuditEntry.objects.filter(action="core.job.succeeded", object_id=str(job.pk)).exists()


def test_a_failed_message_is_retried_alone(flaky):
    job = mail.send_later(messages("通知一", "坏通知", "通知三"))
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded" and job.attempts == 2
    # Each message once: the retry sent only the one refused the first time.
    assert [m.subject for m in outbox.outbox] == ["通知一", "通知三", "坏通知"]


def test_nothing_to_send_starts_no_job():
    before = Job.objects.count()
    assert mail.send_later([("主题", "正文", "kepu@localhost", [])]) is None
    assert Job.objects.count() == before
