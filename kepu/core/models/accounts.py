import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import ADMIN_ROLES, ROLE_SCOPE, Role, ScopeKind, TokenRevocation
from kepu.core.querysets import UserQuerySet


class KepuUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account. What it may see and do comes only from its role assignments; the
    Django superuser/staff flags are never used (the admin site is not mounted)."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Bumped whenever the user's role assignments change: the key of the cached list.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    objects = KepuUserManager()

    AUDIT_FIELDS = ("username", "full_name", "email", "region", "organization", "is_active")

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="core_user_username_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def assignments(self) -> list["RoleAssignment"]:
        """Role assignments, cached on the instance for the request and in the shared
        cache between requests (keyed by `access_version`, which every change of an
        assignment bumps, so a granted or revoked role counts from the next request)."""
        cached = getattr(self, "_assignments_cache", None)
        if cached is None:
            from django.core.cache import cache

            key = self.assignments_cache_key()
            cached = cache.get(key) if key else None
            if cached is None:
                cached = list(self.role_assignments.select_related("region", "organization"))
                if key:
                    cache.set(key, cached, 300)
            self._assignments_cache = cached
        return cached

    def assignments_cache_key(self) -> str | None:
        if self.pk is None:
            return None
        joined = int(self.date_joined.timestamp()) if self.date_joined else 0
        return f"roles:{self.pk}:{joined}:{self.access_version}"

    def forget_assignments(self) -> None:
        """After a change of this user's assignments: a fresh list from the next read."""
        self._assignments_cache = None

    def roles(self) -> set[str]:
        return {a.role for a in self.assignments()}

    def has_role(self, *roles) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def requires_otp(self) -> bool:
        """The three administrator roles must log in with a second factor."""
        return bool(self.roles() & ADMIN_ROLES)


class RoleAssignment(models.Model):
    """Binds a user to a role within a scope: a region subtree, an organization, the
    user's own records, or (administrators only) the whole system."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    AUDIT_FIELDS = ("user", "role", "region", "organization")

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # One assignment per user, role and scope (three constraints because SQLite
            # has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="core_roleassignment_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=Q(organization__isnull=False),
                name="core_roleassignment_unique_org",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(region__isnull=True, organization__isnull=True),
                name="core_roleassignment_unique_unscoped",
            ),
            models.CheckConstraint(
                name="core_roleassignment_scope_matches_role",
                condition=(
                    Q(
                        role__in=[Role.REGIONAL_OFFICER, Role.REVIEWER, Role.PI_OFFICER],
                        region__isnull=False,
                        organization=None,
                    )
                    | Q(role=Role.MEMBER_STAFF, organization__isnull=False, region=None)
                    | Q(
                        role__in=[
                            Role.SYSTEM_ADMIN,
                            Role.SECURITY_ADMIN,
                            Role.AUDIT_ADMIN,
                            Role.VOLUNTEER,
                            Role.PUBLIC,
                        ],
                        region=None,
                        organization=None,
                    )
                ),
            ),
        ]

    def __str__(self):
        target = self.region or self.organization
        return f"{self.get_role_display()} · {target}" if target else self.get_role_display()

    @property
    def scope_kind(self) -> str:
        return ROLE_SCOPE[self.role]

    def clean(self):
        kind = ROLE_SCOPE.get(self.role)
        if kind == ScopeKind.REGION and not self.region_id:
            raise ValidationError({"region": _("This role needs a region.")})
        if kind == ScopeKind.ORGANIZATION and not self.organization_id:
            raise ValidationError({"organization": _("This role needs an organization.")})
        if kind in (ScopeKind.SYSTEM, ScopeKind.OWN):
            self.region = None
            self.organization = None
        if kind == ScopeKind.REGION:
            self.organization = None
        if kind == ScopeKind.ORGANIZATION:
            self.region = None


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so the last N cannot be reused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored; the key is shown once at creation. It
    works until it expires (KEPU_API_TOKEN_DAYS) or is revoked: by its owner, or by the
    platform when the password changes or is reset, the account is locked out or
    disabled. Revoked tokens stay listed (with the reason) on the owner's tokens page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason for revocation"), max_length=10, choices=TokenRevocation.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoked_reason=""),
                name="core_apitoken_revoked_has_a_reason",
            )
        ]

    def __str__(self):
        return f"{self.prefix}…"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()
