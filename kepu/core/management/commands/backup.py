import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kepu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's online backup) and the files of "
        "KEPU_VAR_DIR (uploads, import files, job outputs) into one archive with a manifest "
        "(row counts, checksums, migrations, key fingerprints). The keys are not in it: "
        "keep KEPU_FIELD_KEYS, KEPU_BLIND_INDEX_KEY and KEPU_AUDIT_KEY apart (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="where to write (default: KEPU_VAR_DIR/backups/kepu-<time>.tar)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        out = options["archive"] or str(
            Path(settings.VAR_DIR) / "backups" / f"kepu-{time.strftime('%Y%m%d-%H%M%S')}.tar"
        )
        try:
            manifest = backup(Path(out), using=options["database"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{out}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files']) - 1} files, audit head {manifest['audit_head']['seq']}"
        )
