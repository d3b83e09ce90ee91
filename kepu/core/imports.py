"""Excel imports: a spec per importable model, a dry run that checks every row and
reports each problem, and an all-or-nothing apply. Specs register by key; the generic
views in `views/imports.py` serve every registry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, crypto, staging
from kepu.core.choices import ImportStatus
from kepu.core.errors import StateConflict
from kepu.core.excel import Column, RowError, SheetError, read_rows
from kepu.core.jobs import kind as _job_kind
from kepu.core.models import ImportJob

MAX_REPORTED_ERRORS = 5000


class ErrorList(list):
    """A plan's row errors: the first MAX_REPORTED_ERRORS are kept, the rest only
    counted, so a file wrong on every row costs neither memory nor a huge report.
    `len()` is the full count (specs compare it before and after a row to know whether
    the row had an error); iterating gives the kept ones."""

    def __init__(self, items=()):
        super().__init__()
        self.count = 0
        self.extend(items)

    def append(self, error) -> None:
        self.count += 1
        if super().__len__() < MAX_REPORTED_ERRORS:
            super().append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Plan:
    creates: list = field(default_factory=list)  # unsaved model instances
    updates: list = field(default_factory=list)  # (instance, {field: [old, new]})
    errors: ErrorList = field(default_factory=ErrorList)
    total: int = 0

    def __post_init__(self):
        if not isinstance(self.errors, ErrorList):
            self.errors = ErrorList(self.errors)


class ImportSpec:
    """Subclass per importable model; register with `register_spec`."""

    key: str = ""
    title: str = ""
    permission: str = ""
    filename: str = "import.xlsx"

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def plan(self, rows, actor) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, actor) -> None:
        raise NotImplementedError

    # Staged specs (`staged = True`) keep the rows their dry run validated
    # (`core.staging`): the plan's creates/updates are staged rows, `stage` yields them
    # for `staging.write`, and applying is `apply_staged`, without reading the file.
    staged = False

    def stage(self, plan: Plan):
        """(kind, sheet row, target id or None, data) for every row of a valid plan."""
        raise NotImplementedError

    def recheck(self, job: ImportJob, actor) -> list[RowError]:
        """What changed since the dry run and makes staged rows invalid (the database's
        constraints catch the rest)."""
        return []

    def apply_staged(self, job: ImportJob, actor) -> dict:
        """Write the staged rows; return what was written, for the one audit entry."""
        raise NotImplementedError

    def conflicts(self, job: ImportJob) -> list[RowError]:
        """The staged rows that a constraint refused at apply time, row by row."""
        return []

    def list_url(self) -> str:
        raise NotImplementedError


_specs: dict[str, ImportSpec] = {}


def register_spec(spec: ImportSpec) -> ImportSpec:
    _specs[spec.key] = spec
    return spec


def get_spec(key: str) -> ImportSpec | None:
    return _specs.get(key)


def choice_map(choices) -> dict[str, str]:
    """Accept a choice by its value or its label in any supported language."""
    mapping = {}
    for value, label in choices.choices:
        mapping[str(value).lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                mapping[str(label).strip().lower()] = value
    return mapping


class _Tracked(list):
    """The rows handed to a spec's `plan`: each pass over them reports progress, in rows
    of the file: the second third of the bar (reading was the first, staging the last)."""

    def __init__(self, rows, run):
        super().__init__(rows)
        self.run = run

    def __iter__(self):
        n = len(self)
        for i, item in enumerate(super().__iter__()):
            if self.run is not None and i % 1000 == 0:
                self.run.progress(n // 3 + i // 3, n, _("Checking rows"))
            yield item


def _read(data: bytes, columns, run):
    for i, row in enumerate(read_rows(data, columns)):
        if run is not None and i % 1000 == 0:
            run.progress(i, None, _("Reading the file"))
        yield row


def _plan_file(spec: ImportSpec, job: ImportJob, actor, run=None) -> Plan:
    try:
        rows = list(_read(stored_content(job), spec.columns(), run))
    except SheetError as exc:
        return Plan(errors=[RowError(1, "", str(exc))])
    plan = spec.plan(_Tracked(rows, run), actor)
    plan.total = len(rows)
    if not rows and not plan.errors:
        plan.errors.append(RowError(2, "", _("The file has no data rows.")))
    return plan


def upload(spec: ImportSpec, fileobj, *, actor):
    """Store an upload and start its check (the dry run) as a background job. Returns
    the job; the same file uploaded twice by the same person within the check's life is
    one job (a double submission)."""
    from kepu.core import jobs

    content = fileobj.read()
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        job = ImportJob(
            spec=spec.key,
            created_by=actor,
            original_name=(fileobj.name or "import.xlsx")[:200],
            sha256=digest,
            status=ImportStatus.CHECKING,
        )
        # Sealed with the field key ring: the file holds ID and phone numbers in bulk.
        job.file.save(f"{job.id}.xlsx.sealed", ContentFile(crypto.seal_bytes(content)), save=False)
        job.save()
        return jobs.start(
            "core.import.check",
            actor=actor,
            params={"import": str(job.pk)},
            title=_("Check %(file)s (%(what)s)") % {"file": job.original_name, "what": spec.title},
            idem=f"import.check:{job.pk}",
        )


def stored_content(job: ImportJob) -> bytes:
    """The uploaded workbook, opened (files stored before sealing are read as they are).
    A file purged after KEPU_IMPORT_FILE_DAYS is a SheetError saying so."""
    if not job.file:
        raise SheetError(_expired_message())
    try:
        with job.file.open("rb") as fh:
            blob = fh.read()
    except FileNotFoundError:
        raise SheetError(_expired_message()) from None
    if not crypto.is_sealed_bytes(blob):
        return blob
    try:
        return crypto.open_sealed_bytes(blob)
    except crypto.CryptoError:
        raise SheetError(_("The stored file cannot be opened; upload it again.")) from None


def _expired_message() -> str:
    return _("The uploaded file was deleted after %(days)d days; upload it again.") % {
        "days": settings.IMPORT_FILE_DAYS
    }


def purge_files(now) -> int:
    """Delete the uploaded files of imports older than KEPU_IMPORT_FILE_DAYS (a check
    not applied by then is marked expired) and record it; returns how many."""
    cutoff = now - timedelta(days=settings.IMPORT_FILE_DAYS)
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="")
    purged = []
    for job in old.only("pk", "file")[:5000]:
        job.file.delete(save=False)
        purged.append(job.pk)
    if not purged:
        return 0
    with transaction.atomic():
        ImportJob.objects.filter(pk__in=purged).update(file="")
        ImportJob.objects.filter(
            pk__in=purged, status__in=[ImportStatus.CHECKING, ImportStatus.VALIDATED]
        ).update(
            status=ImportStatus.INVALID,
            error_count=1,
            errors=[{"row": 0, "column": "", "message": _expired_message()}],
        )
        staging.discard_jobs(purged)
        audit.record(
            "core.importjob.files_purged",
            object_type="core.importjob",
            detail={"before": cutoff.isoformat(), "files": len(purged)},
        )
    return len(purged)


def validate_import(spec: ImportSpec, upload_file, *, actor) -> ImportJob:
    """Upload and check in one step, in this process whatever the queue (the benchmark,
    scripts and tests; pages use `upload` and let the worker check)."""
    from kepu.core import jobs

    job = upload(spec, upload_file, actor=actor)
    jobs.execute(str(job.pk))  # claims the job; the queued task then finds it done
    return ImportJob.objects.get(pk=job.params["import"])


def check(job: ImportJob, *, actor, run=None) -> ImportJob:
    """The dry run of a stored upload: nothing is written but the job's report and, for
    a staged spec, the validated rows. Safe to repeat (a retried job starts over)."""
    spec = get_spec(job.spec)
    staging.discard(job)
    plan = _plan_file(spec, job, actor, run)
    with transaction.atomic():
        job.total_rows = plan.total
        job.to_create = len(plan.creates)
        job.to_update = len(plan.updates)
        job.error_count = len(plan.errors)
        job.errors = [e.as_dict() for e in plan.errors[:MAX_REPORTED_ERRORS]]
        job.status = ImportStatus.INVALID if plan.errors else ImportStatus.VALIDATED
        job.save()
        if spec.staged and not plan.errors:
            staging.discard_stale()
            staging.write(job, _staging_progress(spec.stage(plan), plan.total, run))
        audit.record(
            "core.importjob.validated",
            obj=job,
            actor=actor,
            detail={
                "spec": spec.key,
                "rows": job.total_rows,
                "errors": job.error_count,
                "sha256": job.sha256,
            },
        )
    return job


def _staging_progress(rows, total, run):
    for i, row in enumerate(rows):
        if run is not None and i % 1000 == 0:
            done = 2 * total // 3 + min(i, total) // 3
            run.progress(done, total, _("Saving the checked rows"))
        yield row


def start_apply(job: ImportJob, *, actor):
    """Queue the apply of a checked import. Confirming twice gives the same job."""
    from kepu.core import jobs

    if not job.can_confirm or get_spec(job.spec) is None:
        raise StateConflict(_("This import cannot be applied (already imported or has errors)."))
    return jobs.start(
        "core.import.apply",
        actor=actor,
        params={"import": str(job.pk)},
        title=_("Import %(file)s (%(what)s)")
        % {"file": job.original_name, "what": get_spec(job.spec).title},
        idem=f"import.apply:{job.pk}",
    )


def apply_import(job: ImportJob, *, actor) -> ImportJob:
    """Apply a validated job in one transaction. The file is checked again (the data may
    have changed since the dry run); any error means nothing is written."""
    spec = get_spec(job.spec)
    if not job.can_confirm or spec is None:
        raise StateConflict(_("This import cannot be applied (already imported or has errors)."))
    if spec.staged:
        return _apply_staged(spec, job, actor)
    with transaction.atomic():
        job = _lock(job)
        plan = _plan_file(spec, job, actor)
        if not plan.errors:
            spec.apply(plan, actor)
            job.status = ImportStatus.IMPORTED
            job.imported_at = timezone.now()
            job.to_create, job.to_update = len(plan.creates), len(plan.updates)
            job.save(update_fields=["status", "imported_at", "to_create", "to_update"])
            audit.record(
                "core.importjob.applied",
                obj=job,
                actor=actor,
                detail={"spec": spec.key, "created": job.to_create, "updated": job.to_update},
            )
            return job
    return _reject(job, plan.errors, actor)


def _lock(job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_confirm:
        raise StateConflict(_("This import cannot be applied (already imported or has errors)."))
    return job


def _reject(job: ImportJob, errors: list[RowError], actor) -> ImportJob:
    """The data changed since the dry run: record the new errors, write nothing else."""
    with transaction.atomic():
        job.status = ImportStatus.INVALID
        job.error_count = len(errors)
        job.errors = [e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]]
        job.save(update_fields=["status", "error_count", "errors"])
        staging.discard(job)
        audit.record(
            "core.importjob.rejected",
            obj=job,
            actor=actor,
            outcome="failure",
            detail={"errors": job.error_count},
        )
    return job


def _apply_staged(spec: ImportSpec, job: ImportJob, actor) -> ImportJob:
    """Apply the rows the dry run staged, all or nothing: one INSERT … SELECT per model,
    one audit entry naming the rows written. A row that became invalid meanwhile (e.g. a
    person with the same document number registered since) rejects the whole import,
    reported row by row."""
    errors: list[RowError] = []
    with transaction.atomic():
        job = _lock(job)
        errors = spec.recheck(job, actor)
        if not errors:
            try:
                with transaction.atomic():
                    written = spec.apply_staged(job, actor)
                    # The deferred foreign keys, now (a unit deleted since the dry run).
                    tables = [apps.get_model(label)._meta.db_table for label in written]
                    connection.check_constraints(table_names=tables)
            except IntegrityError:
                errors = spec.conflicts(job) or [
                    RowError(0, "", _("The data changed since the check."))
                ]
        if not errors:
            job.status = ImportStatus.IMPORTED
            job.imported_at = timezone.now()
            job.save(update_fields=["status", "imported_at"])
            staging.discard(job)
            audit.record(
                "core.importjob.applied",
                obj=job,
                actor=actor,
                detail={
                    "spec": spec.key,
                    "created": job.to_create,
                    "updated": job.to_update,
                    "rows": written,
                },
            )
            return job
    return _reject(job, errors, actor)


def _report_url(job) -> str:
    from django.urls import reverse

    return reverse("core:import_job", args=[job.params["import"]])


def _applied_url(job) -> str:
    if job.result.get("status") == ImportStatus.IMPORTED:
        spec = get_spec(ImportJob.objects.get(pk=job.params["import"]).spec)
        return spec.list_url() if spec else ""
    return _report_url(job)


@_job_kind(
    "core.import.check", title=gettext_lazy("Check an import file"), retries=2, link=_report_url
)
def _check_job(run) -> dict:
    job = ImportJob.objects.get(pk=run.params["import"])
    if job.status != ImportStatus.CHECKING:
        return _outcome(job)  # checked already (a repeated delivery)
    job = check(job, actor=run.actor, run=run)
    if job.status == ImportStatus.VALIDATED:
        run.outcome = _("%(rows)s rows checked: %(new)s new, %(updated)s updated, no problems.") % {
            "rows": job.total_rows,
            "new": job.to_create,
            "updated": job.to_update,
        }
    else:
        run.outcome = _("%(rows)s rows checked: %(errors)s problems; nothing can be imported.") % {
            "rows": job.total_rows,
            "errors": job.error_count,
        }
    return _outcome(job)


@_job_kind("core.import.apply", title=gettext_lazy("Apply an import"), retries=2, link=_applied_url)
def _apply_job(run) -> dict:
    job = ImportJob.objects.get(pk=run.params["import"])
    if job.status == ImportStatus.IMPORTED:
        return _outcome(job)  # applied already: applying twice imports once
    # One INSERT … SELECT per table: no count to follow, so the bar shows work going on.
    run.progress(0, None, _("Saving %(n)d rows") % {"n": job.total_rows})
    job = apply_import(job, actor=run.actor)
    if job.status == ImportStatus.IMPORTED:
        run.progress(job.total_rows, job.total_rows, "")
        run.outcome = _("Imported: %(c)d new, %(u)d updated.") % {
            "c": job.to_create,
            "u": job.to_update,
        }
    else:
        run.outcome = _("The data changed since the check; nothing was imported.")
    return _outcome(job)


def _outcome(job: ImportJob) -> dict:
    return {
        "import": str(job.pk),
        "status": job.status,
        "rows": job.total_rows,
        "created": job.to_create,
        "updated": job.to_update,
        "errors": job.error_count,
    }
