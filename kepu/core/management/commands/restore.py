from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kepu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into a fresh database (this platform's, or "
        "--database-url; a PostgreSQL database is created when missing) and its files, then "
        "verify: row counts equal the manifest, the audit chain verifies, encrypted values "
        "open with the current keys. Exit status 1 when the verification fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="target database (default: DATABASE_URL)")
        parser.add_argument("--media-root", help="target of the uploaded files")
        parser.add_argument("--var-dir", help="target of the other KEPU_VAR_DIR files")
        parser.add_argument(
            "--force", action="store_true", help="restore over a non-empty database/files"
        )
        parser.add_argument(
            "--accept-key-mismatch",
            action="store_true",
            help="restore although the current keys are not the backup's",
        )
        parser.add_argument("--jobs", type=int, default=2, help="pg_restore parallel jobs")

    def handle(self, *args, **options):
        try:
            report = restore(
                Path(options["archive"]),
                database_url=options["database_url"],
                media_root=options["media_root"],
                var_dir=options["var_dir"],
                force=options["force"],
                accept_key_mismatch=options["accept_key_mismatch"],
                jobs=options["jobs"],
                log=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit = report.audit
        counts = "equal the manifest" if not report.mismatched else f"DIFFER {report.mismatched}"
        chain = "intact" if audit.ok else f"BROKEN: {audit.problem}"
        opened = f"{report.decrypted} encrypted values opened"
        if report.undecryptable:
            opened += f", {len(report.undecryptable)} NOT: {report.undecryptable[:5]}"
        self.stdout.write(
            f"{report.tables} tables, row counts {counts}; audit chain {chain} "
            f"({audit.entries} entries); {opened}; {report.seconds} s"
        )
        if not report.ok:
            raise CommandError("the restored data does not match the backup", returncode=1)
