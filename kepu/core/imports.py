"""Excel imports: a spec per importable model, a dry run that checks every row and
reports each problem, and an all-or-nothing apply. Specs register by key; the generic
views in `views/imports.py` serve every registry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kepu.core import audit, staging
from kepu.core.choices import ImportStatus
from kepu.core.errors import StateConflict
from kepu.core.excel import Column, RowError, SheetError, read_rows
from kepu.core.models import ImportJob

MAX_REPORTED_ERRORS = 5000


@dataclass
class Plan:
    creates: list = field(default_factory=list)  # unsaved model instances
    updates: list = field(default_factory=list)  # (instance, {field: [old, new]})
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


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


def _plan_file(spec: ImportSpec, fileobj, actor) -> Plan:
    try:
        rows = list(read_rows(fileobj, spec.columns()))
    except SheetError as exc:
        return Plan(errors=[RowError(1, "", str(exc))])
    plan = spec.plan(rows, actor)
    plan.total = len(rows)
    if not rows and not plan.errors:
        plan.errors.append(RowError(2, "", _("The file has no data rows.")))
    return plan


@transaction.atomic
def validate_import(spec: ImportSpec, upload, *, actor) -> ImportJob:
    """Store the upload and dry-run it: nothing is written but the job and its report."""
    content = upload.read()
    job = ImportJob(
        spec=spec.key,
        created_by=actor,
        original_name=(upload.name or "import.xlsx")[:200],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    job.file.save(f"{job.id}.xlsx", ContentFile(content), save=False)
    with job.file.open("rb") as fh:
        plan = _plan_file(spec, fh, actor)
    job.total_rows = plan.total
    job.to_create = len(plan.creates)
    job.to_update = len(plan.updates)
    job.error_count = len(plan.errors)
    job.errors = [e.as_dict() for e in plan.errors[:MAX_REPORTED_ERRORS]]
    job.status = ImportStatus.INVALID if plan.errors else ImportStatus.VALIDATED
    job.save()
    if spec.staged and not plan.errors:
        staging.discard_stale()
        staging.write(job, spec.stage(plan))
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
        with job.file.open("rb") as fh:
            plan = _plan_file(spec, fh, actor)
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
