from django.core.management.base import BaseCommand

from kepu.core import auditchain


class Command(BaseCommand):
    help = (
        "Record the audit chain's head in a signed seal. The worker runs it hourly "
        "(schedule core.seal_audit); this command is the manual way."
    )

    def handle(self, *args, **options):
        record = auditchain.seal()
        self.stdout.write(f"audit sealed at seq {record.seq} ({record.entries} entries)")
