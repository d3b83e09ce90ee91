"""Every state change of the core app: organizations, accounts, roles, second factor,
API tokens. Each service runs in a transaction and writes its audit entry in it."""

from __future__ import annotations

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import audit, scope
from kepu.core.choices import ADMIN_ROLES, Role, TokenRevocation
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import ApiToken, Organization, PasswordHistory, RoleAssignment, User
from kepu.core.models.accounts import hash_token
from kepu.core.permissions import grantable_roles
from kepu.core.scope import require_region

# --- Organizations --------------------------------------------------------------------

# Sent inside the transaction that renames a unit (sender: Organization, organization=…):
# the apps whose stored search text holds the unit's name write it again, so that the
# indexed search keeps finding what a scan of the live names finds.
organization_renamed = Signal()


@transaction.atomic
def create_organization(*, actor, **fields) -> Organization:
    organization = Organization(created_by=actor, **fields)
    organization.full_clean()
    require_region(actor, Organization, "create", organization.region)
    organization.save()
    audit.created(organization, actor=actor)
    return organization


@transaction.atomic
def update_organization(organization: Organization, *, actor, **fields) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = audit.snapshot(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    if organization.region_id != before["region"]:
        require_region(actor, Organization, "change", organization.region)
    changes = audit.diff(before, audit.snapshot(organization))
    if not changes:
        return organization
    organization.save(update_fields=[*changes, "updated_at"])
    audit.record("core.organization.updated", obj=organization, actor=actor, changes=changes)
    if "name" in changes:
        organization_renamed.send(sender=Organization, organization=organization)
    return organization


@transaction.atomic
def set_region_population(region, *, actor, population) -> None:
    require_region(actor, type(region), "change", region)
    before = region.population
    if before == population:
        return
    type(region).objects.filter(pk=region.pk).update(population=population)
    region.population = population
    audit.record(
        "core.region.population_set",
        obj=region,
        actor=actor,
        changes={"population": [before, population]},
        region_code=region.code,
    )


# --- Accounts -------------------------------------------------------------------------


def _validate_new_password(user: User, raw_password: str) -> None:
    validate_password(raw_password, user)


def _store_password(user: User, raw_password: str) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()


@transaction.atomic
def create_user(*, actor, password: str, must_change_password: bool = True, **fields) -> User:
    user = User(**fields)
    user.username = user.username.strip()
    user.full_clean(exclude=["password"])
    if User.objects.filter(username__iexact=user.username).exists():
        raise DomainError(_("This username is already taken."))
    _validate_new_password(user, password)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change_password
    user.save()
    audit.created(user, actor=actor)
    return user


@transaction.atomic
def update_user(user: User, *, actor, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    scope.check(actor, user, "change")  # 三员分立 (kepu.core.permissions)
    before = audit.snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    changes = audit.diff(before, audit.snapshot(user))
    if not changes:
        return user
    user.save(update_fields=list(changes))
    # A deactivated user's sessions die on their next request: the auth backend refuses
    # inactive users, so no session sweep is needed. Their API tokens are revoked, so that
    # reactivating the account does not bring them back.
    audit.record("core.user.updated", obj=user, actor=actor, changes=changes)
    if "is_active" in changes and not user.is_active:
        revoke_api_tokens(user, actor=actor, reason=TokenRevocation.DEACTIVATED)
    return user


@transaction.atomic
def change_password(user: User, *, actor, new_password: str) -> None:
    """The user sets their own new password (validated against the MLPS rules)."""
    _validate_new_password(user, new_password)
    _store_password(user, new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record("core.user.password_changed", obj=user, actor=actor)
    revoke_api_tokens(user, actor=actor, reason=TokenRevocation.PASSWORD_CHANGED)


@transaction.atomic
def reset_password(user: User, *, actor, new_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at next login."""
    scope.check(actor, user, "reset_password")  # 三员分立 (kepu.core.permissions)
    _validate_new_password(user, new_password)
    _store_password(user, new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    # The new hash invalidates the user's existing sessions (session auth hash); their API
    # tokens are revoked with it.
    audit.record("core.user.password_reset", obj=user, actor=actor)
    revoke_api_tokens(user, actor=actor, reason=TokenRevocation.PASSWORD_RESET)


@transaction.atomic
def unlock_user(user: User, *, actor) -> int:
    """Clear the failed-login lockout of an account."""
    scope.check(actor, user, "unlock")  # 三员分立 (kepu.core.permissions)
    count = axes_reset(username=user.username)
    audit.record("core.user.unlocked", obj=user, actor=actor, detail={"cleared": count})
    return count


# --- Roles ------------------------------------------------------------------------------


def _check_grantable(actor, role: str) -> None:
    if role not in grantable_roles(actor):
        raise DomainError(
            _("Separation of duties (三员分立): you cannot grant or revoke the role “%(role)s”.")
            % {"role": Role(role).label}
        )


@transaction.atomic
def assign_role(user: User, *, actor, role: str, region=None, organization=None) -> RoleAssignment:
    """Grant `role` to `user` within a scope. Enforces 三员分立: an administrator role is
    never combined with another role, and nobody changes their own roles."""
    scope.check(actor, user, "assign_role")
    _check_grantable(actor, role)
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role in ADMIN_ROLES and existing - {role}:
        raise DomainError(
            _("An administrator role cannot be combined with any other role (三员分立).")
        )
    if existing & ADMIN_ROLES and role not in existing:
        raise DomainError(
            _("This user holds an administrator role, which cannot be combined with another role.")
        )
    assignment = RoleAssignment(
        user=user, role=role, region=region, organization=organization, granted_by=actor
    )
    assignment.full_clean(exclude=["user", "granted_by"], validate_unique=False)
    if RoleAssignment.objects.filter(
        user=user, role=role, region=assignment.region, organization=assignment.organization
    ).exists():
        raise StateConflict(_("This user already has this role in this scope."))
    assignment.save()
    user._assignments_cache = None
    audit.created(
        assignment, actor=actor, region_code=assignment.region.code if assignment.region else ""
    )
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor) -> None:
    scope.check(actor, assignment.user, "assign_role")
    _check_grantable(actor, assignment.role)
    before = audit.snapshot(assignment)
    audit.record(
        "core.roleassignment.deleted",
        obj=assignment,
        actor=actor,
        changes=audit.diff(before, dict.fromkeys(before)),
        region_code=assignment.region.code if assignment.region else "",
    )
    assignment.delete()


# --- Second factor (TOTP) -------------------------------------------------------------


@transaction.atomic
def start_totp_enrollment(user: User) -> TOTPDevice:
    """An unconfirmed device whose secret the user scans; replaced on every start."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def confirm_totp(device: TOTPDevice, token: str, *, actor) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record("core.user.totp_enabled", obj=device.user, actor=actor)
    return True


@transaction.atomic
def reset_totp(user: User, *, actor) -> None:
    """An administrator removes the second factor of a user who lost it; an administrator
    account must enroll a new one at its next login."""
    scope.check(actor, user, "reset_totp")  # 三员分立 (kepu.core.permissions)
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    audit.record("core.user.totp_reset", obj=user, actor=actor, detail={"devices": deleted})


@transaction.atomic
def disable_totp(user: User, *, actor) -> None:
    if user.requires_otp:
        raise DomainError(_("Administrators must keep their second factor."))
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit.record("core.user.totp_disabled", obj=user, actor=actor)


# --- API tokens -----------------------------------------------------------------------


@transaction.atomic
def create_api_token(user: User, *, actor, name: str = "") -> tuple[ApiToken, str]:
    """A new token; returns it with its key, which is never stored or shown again. It
    expires after KEPU_API_TOKEN_DAYS days."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:60],
        key_hash=hash_token(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    audit.record(
        "core.apitoken.created",
        obj=user,
        actor=actor,
        detail={
            "token": token.prefix,
            "name": token.name,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def revoke_api_token(user: User, pk, *, actor) -> ApiToken:
    """The owner revokes one of their tokens (it stays listed, as revoked)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
    if token is None:
        raise DomainError(_("No such token."))
    if token.is_revoked:
        raise StateConflict(_("This token has already been revoked."))
    token.revoked_at, token.revoked_reason = timezone.now(), TokenRevocation.BY_USER
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(
        "core.apitoken.revoked",
        obj=user,
        actor=actor,
        detail={"token": token.prefix, "reason": TokenRevocation.BY_USER},
    )
    return token


def revoke_api_tokens(user: User, *, actor, reason: str) -> int:
    """Revoke every working token of `user` (the password changed or was reset, the account
    was locked out or disabled): a credential must not outlive the event that should end
    it. Runs in the caller's transaction; audited when a token was revoked."""
    count = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(revoked_at=timezone.now(), revoked_reason=reason)
    if count:
        audit.record(
            "core.apitoken.revoked",
            obj=user,
            actor=actor,
            detail={"count": count, "reason": reason},
        )
    return count


# --- Privacy notices --------------------------------------------------------------------


@transaction.atomic
def publish_privacy_notice(
    *, actor, purpose, version, title, text, title_en="", text_en="", effective_at=None
):
    """Publish a new version of the notice of `purpose` (a new row: the consents given to
    earlier versions keep pointing at the text those people read). It is current from
    `effective_at` (default now) on."""
    from kepu.core import clock
    from kepu.core.choices import NoticePurpose
    from kepu.core.models import PrivacyNotice
    from kepu.core.publiccache import bump

    if purpose not in NoticePurpose.values:
        raise DomainError({"purpose": [_("Unknown purpose.")]})
    if PrivacyNotice.objects.filter(purpose=purpose, version=version).exists():
        raise StateConflict(_("This version of the notice already exists."))
    notice = PrivacyNotice(
        purpose=purpose,
        version=version,
        title=title,
        text=text,
        title_en=title_en,
        text_en=text_en,
        effective_at=effective_at or clock.now(),
    )
    notice.full_clean()
    notice.save()
    audit.record(
        "core.privacynotice.published",
        obj=notice,
        actor=actor,
        detail={"purpose": purpose, "version": version},
    )
    bump("core.privacy")
    return notice
