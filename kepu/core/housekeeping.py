"""The platform's own periodic jobs: audit retention, expired files, rollup drift,
finished queue entries. Declared here with their schedules (kepu.core.schedules)."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kepu.core import (
    audit,
    auditchain,
    clock,
    imports,
    jobs,
    privatestorage,
    rollups,
    schedules,
    staging,
)
from kepu.core.models import AuditEntry, Job


def purge_audit() -> dict:
    """Delete audit entries older than KEPU_AUDIT_RETENTION_DAYS (and record that)."""
    cutoff = clock.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted = AuditEntry.objects.purge_before(cutoff)
    audit.record(
        "core.auditentry.purged",
        object_type="core.auditentry",
        detail={"before": cutoff.isoformat(), "deleted": deleted},
    )
    return {"before": cutoff.date().isoformat(), "deleted": deleted}


@jobs.kind("core.purge_audit", title=_("Delete expired audit entries"), retries=2)
def _purge_audit(run) -> dict:
    result = purge_audit()
    run.outcome = _("%(n)d entries older than %(date)s deleted.") % {
        "n": result["deleted"],
        "date": result["before"],
    }
    return result


@jobs.kind("core.seal_audit", title=_("Seal the audit trail"), retries=2)
def seal_audit(run) -> dict:
    """Record the head of the audit chain in a signed seal (see kepu.core.auditchain)."""
    record = auditchain.seal()
    run.outcome = _("Sealed at entry %(seq)d (%(n)d entries).") % {
        "seq": record.seq,
        "n": record.entries,
    }
    return {"seq": record.seq, "entries": record.entries}


@jobs.kind("core.verify_audit", title=_("Verify the audit trail"), retries=1)
def verify_audit(run) -> dict:
    """Walk the whole audit chain; the audit page shows the last result."""
    report = auditchain.verify(progress=lambda done, total: run.progress(done, total))
    audit.record(
        "core.auditentry.verified",
        object_type="core.auditentry",
        outcome="success" if report.ok else "failure",
        detail=report.as_dict(),
    )
    if report.ok:
        run.outcome = _("The audit trail is intact: %(n)d entries checked.") % {"n": report.entries}
    else:
        run.outcome = _("The audit trail is broken: %(problem)s") % {"problem": report.problem}
    return report.as_dict()


@jobs.kind("core.purge_files", title=_("Delete expired uploads and job files"), retries=2)
def purge_files(run) -> dict:
    """Staged imports never applied, uploaded import files past KEPU_IMPORT_FILE_DAYS,
    job outputs past their download days, finished queue entries and scheduled-job
    records older than a month."""
    now = clock.now()
    stale_imports = staging.discard_stale()
    uploads = imports.purge_files(now)
    expired = Job.objects.filter(finished_at__lt=now - timedelta(days=settings.JOB_FILE_DAYS))
    cleared = []
    for job in expired.exclude(file="").only("pk", "file")[:5000]:
        job.file.delete(save=False)
        cleared.append(job.pk)
    files = Job.objects.filter(pk__in=cleared).update(file="")
    tightened = privatestorage.tighten()  # files written before the private storage
    old = now - timedelta(days=30)
    records = Job.objects.filter(finished_at__lt=old, created_by__isnull=True, file="").exclude(
        schedule=""
    )
    records = records.exclude(pk__in=_last_jobs()).delete()[0]
    queue = 0
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        queue = DBTaskResult.objects.filter(
            status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - timedelta(days=7)
        ).delete()[0]
    run.outcome = _(
        "%(imports)d expired import checks, %(uploads)d uploaded import files, %(files)d job "
        "files, %(records)d old job records and %(queue)d queue entries deleted."
    ) % {
        "imports": stale_imports,
        "uploads": uploads,
        "files": files,
        "records": records,
        "queue": queue,
    }
    return {
        "stale_imports": stale_imports,
        "uploads": uploads,
        "files": files,
        "records": records,
        "queue": queue,
        "permissions_tightened": tightened,
    }


def _last_jobs():
    from kepu.core.models import ScheduleState

    return ScheduleState.objects.exclude(last_job=None).values("last_job")


@jobs.kind("core.rollups_check", title=_("Check the statistics counters"), retries=1)
def rollups_check(run) -> dict:
    """Reconcile every counter with the raw rows, fixing and reporting drift."""
    names = sorted(rollups.metrics())
    drifted = {}
    for i, name in enumerate(names):
        run.progress(i, len(names), name)
        drift = rollups.reconcile(name, fix=True)
        if drift:
            drifted[name] = len(drift)
    run.progress(len(names), len(names), "")
    if drifted:
        run.outcome = _("%(n)d of %(total)d counters drifted and were corrected: %(names)s.") % {
            "n": len(drifted),
            "total": len(names),
            "names": ", ".join(sorted(drifted)),
        }
    else:
        run.outcome = _("All %(total)d counters agree with the records.") % {"total": len(names)}
    return {"metrics": len(names), "drifted": drifted}


@jobs.kind("core.ping", title=_("Queue check"))
def ping(run) -> dict:
    """Does nothing: the benchmark's queue-latency probe, and an operator's check that a
    worker takes jobs."""
    return {}


schedules.daily(
    "core.purge_audit", "core.purge_audit", title=_("Delete expired audit entries"), at="02:30"
)
schedules.every("core.seal_audit", "core.seal_audit", title=_("Seal the audit trail"), hours=1)
schedules.daily(
    "core.verify_audit", "core.verify_audit", title=_("Verify the audit trail"), at="02:00"
)
schedules.daily(
    "core.purge_files",
    "core.purge_files",
    title=_("Delete expired uploads and job files"),
    at="03:00",
)
schedules.daily(
    "core.rollups_check", "core.rollups_check", title=_("Check the statistics counters"), at="04:00"
)
