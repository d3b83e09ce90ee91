"""Checked fetches of the core app's scoped objects (the choke point for single rows), and
the rule table of 三员分立: which administrator may do what to which account."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.choices import ADMIN_ROLES, Role
from kepu.core.models import AuditEntry, ImportJob, Organization, RoleAssignment, User
from kepu.core.scope import get_for_user, visible_to

__all__ = ["visible_to"]

# --- 三员分立: the separation of the three administrators ------------------------------
#
# Following GB/T 22239-2019 (8.1.4.2, 8.1.10.3/4): the system administrator runs the
# system and manages user identities (the accounts of ordinary users); the security
# administrator authorizes (grants and revokes roles), sets the security policy (unlocks)
# and looks after the accounts of the system and audit administrators; the audit
# administrator only reads the audit trail, of everyone including the other two. Nobody
# acts on their own account from these pages (their own password and second factor are on
# their security page), and the security administrator's own account and role are managed
# outside the platform's pages (`manage.py` on the server): no administrator may weaken
# the one who grants the roles.
#
# One table, read by the object rules of `User` (pages, services, buttons): for each
# administrator role and account action, the kinds of target account it may act on.

ORDINARY = "ordinary"  # an account that holds no administrator role
SELF = "self"  # the actor's own account

ACCOUNT_ACTIONS = ("change", "unlock", "reset_password", "reset_totp", "assign_role")

ACCOUNT_DUTIES: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSTEM_ADMIN: {
        "change": frozenset({ORDINARY}),
        "reset_password": frozenset({ORDINARY}),
        "reset_totp": frozenset({ORDINARY}),
    },
    Role.SECURITY_ADMIN: {
        "change": frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}),
        "reset_password": frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}),
        "reset_totp": frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}),
        "unlock": frozenset({ORDINARY, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}),
        "assign_role": frozenset({ORDINARY, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}),
    },
    Role.AUDIT_ADMIN: {},
}

# The roles each administrator may grant or revoke. The security administrator role is
# never granted from a page (see above).
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.SECURITY_ADMIN: frozenset(Role.values) - {Role.SECURITY_ADMIN},
}


def account_kind(account: User, actor) -> str:
    """SELF, the administrator role the account holds (they are never combined), or
    ORDINARY."""
    if account.pk == getattr(actor, "pk", None):
        return SELF
    held = account.roles() & ADMIN_ROLES
    return min(held) if held else ORDINARY


def duty_refusal(actor, account: User, action: str) -> str | None:
    """Why `actor` may not take `action` on `account` under 三员分立, or None when the
    table allows it. `actor` None is the system itself (commands, demo loading)."""
    if actor is None:
        return None
    kind = account_kind(account, actor)
    if kind == SELF:
        if action == "assign_role":
            return _("You cannot change your own roles.")
        return _(
            "You cannot do this to your own account here; another administrator must do it "
            "(your own password and second factor are on your security page)."
        )
    for role in sorted(actor.roles() & ADMIN_ROLES):
        if kind in ACCOUNT_DUTIES.get(role, {}).get(action, ()):
            return None
    target = _("ordinary user") if kind == ORDINARY else Role(kind).label
    return _(
        "Separation of duties (三员分立): you cannot do this to this account (%(target)s); "
        "it is another administrator's duty."
    ) % {"target": target}


def grantable_roles(actor) -> frozenset[str]:
    """The roles `actor` may grant or revoke (every role for the system itself)."""
    if actor is None:
        return frozenset(Role.values)
    roles: set[str] = set()
    for role in actor.roles():
        roles |= GRANTABLE_ROLES.get(role, frozenset())
    return frozenset(roles)


def can_act_on_account(actor, account: User, action: str, permission: str) -> bool:
    """For buttons: the permission and the rule table."""
    return scope.has_permission(actor, permission) and duty_refusal(actor, account, action) is None


# --- checked fetches ----------------------------------------------------------------------


def get_organization_for_user(user, pk, action: str = "view") -> Organization:
    return get_for_user(Organization.objects.with_relations(), user, pk, action)


def get_user_for_user(user, pk, action: str = "view") -> User:
    """The account `pk` for `action`: 404 outside the user's scope, 403 without the
    permission or when the 三员分立 table refuses the action on this account. The
    permission of "assign_role" is checked by the view (`core.roleassignment.create`)."""
    account = get_for_user(
        User.objects.with_relations(), user, pk, "view" if action == "assign_role" else action
    )
    if action in ACCOUNT_ACTIONS and scope.refusal(user, account, action):
        raise PermissionDenied
    return account


def get_roleassignment_for_user(user, pk, action: str = "view") -> RoleAssignment:
    assignment = get_for_user(
        RoleAssignment.objects.select_related("user", "region"), user, pk, action
    )
    if action == "delete" and (
        scope.refusal(user, assignment.user, "assign_role")
        or assignment.role not in grantable_roles(user)
    ):
        raise PermissionDenied
    return assignment


def get_importjob_for_user(user, pk, action: str = "view") -> ImportJob:
    return get_for_user(ImportJob.objects.all(), user, pk, action)


def get_auditentry_for_user(user, pk, action: str = "view") -> AuditEntry:
    return get_for_user(AuditEntry.objects.all(), user, pk, action)
