"""Core's workbench items: import checks awaiting the user's confirmation, the user's
failed background jobs, and the second-factor reminder (`core.workbench`)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import workbench
from kepu.core.choices import ImportStatus
from kepu.core.models import ImportJob, Job
from kepu.core.models.jobs import JobStatus
from kepu.core.scope import has_permission

workbench.link("core.organization", "core:organization_detail")

# Failed jobs older than this are history, not a to-do.
FAILED_JOB_DAYS = 7


@workbench.register
def imports_and_jobs(user, focus):
    checked = ImportJob.objects.filter(created_by=user, status=ImportStatus.VALIDATED)
    first = checked.order_by("created_at").values_list("pk", "created_at").first()
    if first is not None:
        n, capped = workbench.count(checked)
        yield workbench.Item(
            key="core.imports",
            label=_("Checked imports to confirm"),
            # The oldest check: confirming it (or discarding it) is the action.
            url=reverse("core:import_job", args=[first[0]]),
            count=n,
            capped=capped,
            oldest=first[1],
            icon="file-spreadsheet",
        )
    if not has_permission(user, "core.job.view"):
        return
    since = timezone.now() - datetime.timedelta(days=FAILED_JOB_DAYS)
    failed = Job.objects.filter(created_by=user, created_at__gte=since, status=JobStatus.FAILED)
    yield workbench.todo(
        "core.jobs_failed",
        _("My failed background jobs"),
        reverse("core:job_list") + f"?mine=1&status={JobStatus.FAILED}",
        failed,
        date_field="created_at",
        icon="alert-triangle",
    )


@workbench.register
def second_factor(user, focus):
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        yield workbench.Item(
            key="core.totp",
            label=_("Two-factor login is not set up"),
            url=reverse("core:security"),
            count=1,
            kind=workbench.REMINDER,
            icon="shield-lock",
        )
