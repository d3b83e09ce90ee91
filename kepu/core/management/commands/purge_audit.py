from django.core.management.base import BaseCommand

from kepu.core.housekeeping import purge_audit


class Command(BaseCommand):
    help = (
        "Delete audit entries older than KEPU_AUDIT_RETENTION_DAYS. The worker runs it "
        "daily (schedule core.purge_audit); this command is the manual way."
    )

    def handle(self, *args, **options):
        result = purge_audit()
        self.stdout.write(
            f"audit: {result['deleted']} entries older than {result['before']} deleted"
        )
