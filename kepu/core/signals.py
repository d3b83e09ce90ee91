"""Security events into the audit trail: logins, logouts, failed logins, lockouts (which
also revoke the account's API tokens)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import post_delete, post_save
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
    # Whoever is guessing the password must not keep working through the API either.
    from kepu.core import services
    from kepu.core.choices import TokenRevocation
    from kepu.core.models import User

    user = User.objects.filter(username__iexact=str(username or "")).first()
    if user is not None:
        services.revoke_api_tokens(user, actor=None, reason=TokenRevocation.LOCKED_OUT)


def _assignments_changed(sender, instance, **kwargs):
    # A new access_version is a new cache key: every worker reads the new list.
    from kepu.core.models import User

    User.objects.filter(pk=instance.user_id).update(access_version=F("access_version") + 1)


def connect_assignment_signals():
    from kepu.core.models import RoleAssignment

    post_save.connect(_assignments_changed, sender=RoleAssignment, dispatch_uid="kepu-roles-save")
    post_delete.connect(
        _assignments_changed, sender=RoleAssignment, dispatch_uid="kepu-roles-delete"
    )
