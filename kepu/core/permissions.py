"""Checked fetches of the core app's scoped objects (the choke point for single rows)."""

from kepu.core.models import AuditEntry, ImportJob, Organization, RoleAssignment, User
from kepu.core.scope import get_for_user, visible_to

__all__ = ["visible_to"]


def get_organization_for_user(user, pk, action: str = "view") -> Organization:
    return get_for_user(Organization.objects.with_relations(), user, pk, action)


def get_user_for_user(user, pk, action: str = "view") -> User:
    return get_for_user(User.objects.with_relations(), user, pk, action)


def get_roleassignment_for_user(user, pk, action: str = "view") -> RoleAssignment:
    return get_for_user(RoleAssignment.objects.select_related("user", "region"), user, pk, action)


def get_importjob_for_user(user, pk, action: str = "view") -> ImportJob:
    return get_for_user(ImportJob.objects.all(), user, pk, action)


def get_auditentry_for_user(user, pk, action: str = "view") -> AuditEntry:
    return get_for_user(AuditEntry.objects.all(), user, pk, action)
