"""Scope rules and role permissions of the core models (registered at start-up)."""

from functools import partial

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.models import (
    ApiToken,
    AuditEntry,
    AuditSeal,
    ImportJob,
    ImportRow,
    Job,
    Organization,
    PasswordHistory,
    PrivacyNotice,
    Region,
    RoleAssignment,
    Rollup,
    ScheduleState,
    User,
)
from kepu.core.permissions import ACCOUNT_ACTIONS, duty_refusal
from kepu.core.scope import ScopeRule, declare_unscoped, grant, object_rule, register


def _duty_rule(account, actor, *, action):
    return duty_refusal(actor, account, action)


# Regions are public reference data (GB/T 2260); officers maintain figures such as the
# population of the regions in their scope.
register(Region, ScopeRule(region="pk", public=Q()))
register(PrivacyNotice, ScopeRule(public=Q()))
# System-scope roles hold only "reference" on organizations: looking one up by code to
# bind a role or an account to it, never the business pages.
register(Organization, ScopeRule(region="region", organization="pk", system=True))
register(User, ScopeRule(system=True, owner="pk"))
register(RoleAssignment, ScopeRule(system=True, owner="user"))
register(AuditEntry, ScopeRule(system=True))
register(ImportJob, ScopeRule(owner="created_by"))
# Background jobs: everyone sees the jobs they started; an officer also sees the jobs
# started for a region in their scope (scheduled jobs have neither and are shown only on
# the administrators' schedules page, without their results).
register(Job, ScopeRule(owner="created_by", region="region"))

ORG = "core.organization"

grant(
    Role.REGIONAL_OFFICER,
    "core.dashboard.view",
    f"{ORG}.view",
    f"{ORG}.create",
    f"{ORG}.change",
    f"{ORG}.import",
    f"{ORG}.export",
    "core.importjob.view",
    "core.importjob.change",
    "core.job.view",
    "core.region.change",
)
grant(
    Role.MEMBER_STAFF,
    "core.job.view",
    "core.dashboard.view",
    f"{ORG}.view",
    f"{ORG}.change",
    f"{ORG}.export",
)
grant(Role.REVIEWER, "core.job.view", "core.dashboard.view", f"{ORG}.view")


# 三员分立 (the rule table is in `kepu.core.permissions`): the system administrator
# manages the accounts of ordinary users, the security administrator grants roles, unlocks
# accounts and looks after the other administrators' accounts, the audit administrator
# reads the audit trail. None of them holds a business permission.
grant(
    Role.SYSTEM_ADMIN,
    "core.user.view",
    "core.user.create",
    "core.user.change",
    "core.user.reset_password",
    "core.user.reset_totp",
    "core.schedule.view",
    "core.schedule.run",
    "core.job.view",
    f"{ORG}.reference",
)
grant(
    Role.SECURITY_ADMIN,
    "core.user.view",
    "core.user.change",
    "core.user.unlock",
    "core.user.reset_password",
    "core.user.reset_totp",
    "core.roleassignment.view",
    "core.roleassignment.create",
    "core.roleassignment.delete",
    f"{ORG}.reference",
)
grant(Role.SECURITY_ADMIN, "core.job.view")
grant(Role.PI_OFFICER, "core.job.view")
grant(
    Role.AUDIT_ADMIN,
    "core.auditentry.view",
    "core.auditentry.export",
    "core.auditentry.verify",
    "core.job.view",
)

# Never listed or fetched by any page or endpoint: read only by the services that own them.
declare_unscoped(PasswordHistory, "old password hashes: read only by the password service")
declare_unscoped(
    Rollup, "statistics counters: read through the scoped statistics pages, by region subtree"
)
declare_unscoped(ScheduleState, "schedule state: read only by the scheduler and the schedules page")
declare_unscoped(ApiToken, "API tokens: reached only through their key by the authenticator")
declare_unscoped(
    AuditSeal, "audit seals: read only by the chain verification and the audit page's status"
)
declare_unscoped(
    ImportRow, "staged import rows: read only by the import service, through their job"
)


# 三员分立 and four-eyes on access: the rule table of `kepu.core.permissions` decides which
# administrator may act on which account (nobody on their own).
for _action in ACCOUNT_ACTIONS:
    object_rule(User, _action)(partial(_duty_rule, action=_action))
