from kepu.core.models.accounts import ApiToken, PasswordHistory, RoleAssignment, User
from kepu.core.models.audit import AuditEntry, AuditSeal
from kepu.core.models.imports import ImportJob, ImportRow
from kepu.core.models.jobs import Job, JobStatus, ScheduleState
from kepu.core.models.organizations import Organization
from kepu.core.models.privacy import PrivacyNotice
from kepu.core.models.regions import Region
from kepu.core.models.rollups import Rollup

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditSeal",
    "ImportJob",
    "ImportRow",
    "Job",
    "JobStatus",
    "Organization",
    "PasswordHistory",
    "PrivacyNotice",
    "Region",
    "RoleAssignment",
    "ScheduleState",
    "Rollup",
    "User",
]
