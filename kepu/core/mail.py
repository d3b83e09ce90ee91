"""Notification e-mail, sent by a background job (`core.send_mail`).

`send_later(messages)` is called inside the service's transaction: with the database
queue the job row commits with the business change (a rolled-back change sends nothing),
and `jobs.start` defers the enqueue to the commit for Redis. SMTP failures are usually
transient, so the job is retried with backoff; each message sent is recorded on the job
at once, so a retry sends only the messages not yet sent.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kepu.core import jobs, request_context
from kepu.core.models import Job

log = logging.getLogger("kepu.mail")

# Retried five times, 30 s to 8 min apart (JOB_RETRY_SECONDS doubling): about a quarter
# of an hour in which the mail server may come back.
RETRIES = 5


class MailNotSent(Exception):
    """Some messages could not be handed to the mail server (the job tries again)."""


def send_later(messages, *, actor=None) -> Job | None:
    """Queue `messages` ((subject, body, from, [recipients]) tuples, as for Django's
    `send_mass_mail`) for sending. `actor`: whose action the mail follows (default: the
    user of the current request). Returns the job, or None when there is nothing to send."""
    rows = [
        [str(subject), str(body), str(sender), [str(r) for r in recipients]]
        for subject, body, sender, recipients in messages
        if recipients
    ]
    if not rows:
        return None
    if actor is None:
        actor = request_context.current().user
    return jobs.start(
        "core.send_mail",
        actor=actor,
        params={"messages": rows},
        title=ngettext(
            "Send %(n)d notification e-mail", "Send %(n)d notification e-mails", len(rows)
        )
        % {"n": len(rows)},
    )


@jobs.kind("core.send_mail", title=gettext_lazy("Send notification e-mail"), retries=RETRIES)
def _send_job(run) -> dict:
    messages = run.params["messages"]
    # Sent by an earlier attempt of this job (kept in `result` as each one goes).
    done = Job.objects.filter(pk=run.job.pk).values_list("result", flat=True)[0]
    sent = set(done.get("sent", []))
    failed = []
    with get_connection() as connection:
        for index, (subject, body, sender, recipients) in enumerate(messages):
            if index in sent:
                continue
            try:
                EmailMessage(subject, body, sender, recipients, connection=connection).send()
            except Exception:
                log.warning("mail %d of job %s not sent", index, run.job.pk, exc_info=True)
                failed.append(index)
                continue
            sent.add(index)
            Job.objects.filter(pk=run.job.pk).update(result={"sent": sorted(sent)})
            run.progress(len(sent), len(messages))
    if failed:
        raise MailNotSent(
            _("%(failed)d of %(total)d messages could not be sent.")
            % {"failed": len(failed), "total": len(messages)}
        )
    # Sent: the job's record keeps what went out, not the addresses and the texts.
    Job.objects.filter(pk=run.job.pk).update(
        params={
            **{k: v for k, v in run.params.items() if k != "messages"},
            "sent": [{"subject": m[0], "recipients": len(m[3])} for m in messages],
        }
    )
    run.outcome = ngettext("%(n)d message sent.", "%(n)d messages sent.", len(sent)) % {
        "n": len(sent)
    }
    return {"sent": len(sent)}
