import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import ImportStatus
from kepu.core.privatestorage import private_storage
from kepu.core.querysets import ImportJobQuerySet


class ImportJob(models.Model):
    """One Excel import: the uploaded file, the outcome of its dry run (row errors,
    planned creates/updates), and whether it was applied. Visible to its creator only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    spec = models.CharField(_("import type"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", storage=private_storage, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(_("new records"), default=0)
    to_update = models.PositiveIntegerField(_("updated records"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    AUDIT_FIELDS = ("spec", "original_name", "status", "total_rows", "error_count")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return self.original_name

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.total_rows > 0


class ImportRow(models.Model):
    """One validated row of a dry run, kept until the import is applied: the column
    values of the row to insert (or the changed values of the row to update), ready for
    the database (encrypted, hashed, masked), so that applying is one INSERT … SELECT
    without reading or checking the file again. Unlogged on PostgreSQL (a scratch
    table: lost in a crash, the dry run is simply repeated); deleted once applied."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)  # e.g. "people.person", "people.registration"
    row = models.PositiveIntegerField()  # the sheet row, for reporting
    target_id = models.BigIntegerField(null=True, blank=True)  # the row updated, if any
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("staged import row")
        verbose_name_plural = _("staged import rows")
        indexes = [models.Index(fields=["job", "kind", "row"], name="core_importrow_job")]

    def __str__(self):
        return f"{self.kind} row {self.row}"
