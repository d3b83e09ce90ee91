from django.core.management.base import BaseCommand, CommandError

from kepu.core import auditchain


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain, seals and purge records (KEPU_AUDIT_KEY). "
        "Exit status 0 when intact; 1 with the first broken link otherwise. The worker runs "
        "it daily (schedule core.verify_audit); this command is the manual way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        report = auditchain.verify(using=options["database"])
        if not report.ok:
            raise CommandError(
                f"audit trail BROKEN at entry {report.problem_seq}: {report.problem} "
                f"({report.entries} entries verified before it)",
                returncode=1,
            )
        span = f"{report.first_seq}–{report.last_seq}" if report.entries else "none"
        self.stdout.write(
            f"audit trail intact: {report.entries} entries (seq {span}), {report.seals} seals "
            "and purge records"
        )
