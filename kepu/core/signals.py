"""Security events into the audit trail: logins, logouts, failed logins, lockouts."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kepu.core import audit
from kepu.core.choices import AuditOutcome


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record("core.user.logged_in", obj=user, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("core.user.logged_out", obj=user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username is recorded as typed (it may not exist); never the password.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        "core.user.login_failed",
        outcome=AuditOutcome.FAILURE,
        object_type="core.user",
        object_repr=username,
        detail={"username": username},
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(
        "core.user.locked_out",
        outcome=AuditOutcome.DENIED,
        object_type="core.user",
        object_repr=str(username or "")[:150],
        detail={"username": str(username or "")[:150]},
    )
