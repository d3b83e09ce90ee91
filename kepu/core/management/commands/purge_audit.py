from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from kepu.core import audit
from kepu.core.models import AuditEntry


class Command(BaseCommand):
    help = "Delete audit entries older than KEPU_AUDIT_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        deleted = AuditEntry.objects.purge_before(cutoff)
        audit.record(
            "core.auditentry.purged",
            object_type="core.auditentry",
            detail={"before": cutoff.isoformat(), "deleted": deleted},
        )
        self.stdout.write(f"audit: {deleted} entries older than {cutoff:%Y-%m-%d} deleted")
