"""The backup and restore drill (docs/deploy.md, "Backups and keys"): back up the database
of DATABASE_URL (or .env's) and its files, restore them into a fresh database — on
PostgreSQL `kepu_drill_<pid>` on the same server, dropped afterwards; on SQLite a temporary
file — verify the copy (row counts, the audit chain, encrypted samples) and print the time
of each step. Exit status 1 when the copy differs.

    .venv/bin/python scripts/restore_drill.py            (or: make restore-drill)
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")


def main() -> int:
    import django

    django.setup()
    from django.db import connection

    from kepu.core import backup

    cfg = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix="kepu-drill-") as tmp:
        tmp = Path(tmp)
        archive = tmp / "kepu.tar"
        started = time.monotonic()
        manifest = backup.backup(archive, log=print)
        took_backup = time.monotonic() - started
        rows = sum(manifest["tables"].values())
        size = archive.stat().st_size / 1e6
        if connection.vendor == "postgresql":
            name = f"kepu_drill_{os.getpid()}"
            auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else "")
            host = f"{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}"
            target = f"postgres://{auth}@{host}/{name}"
        else:
            name, target = None, f"sqlite:///{tmp / 'restored.sqlite3'}"
        try:
            started = time.monotonic()
            report = backup.restore(
                archive,
                database_url=target,
                media_root=tmp / "media",
                var_dir=tmp / "var",
                log=print,
            )
            took_restore = time.monotonic() - started
        finally:
            if name:
                with backup._pg_connect(cfg, "postgres") as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"drill ({connection.vendor}, {cfg['NAME']}): {len(manifest['tables'])} tables, "
        f"{rows:,} rows, {len(manifest['files']) - 1} files, archive {size:.1f} MB\n"
        f"  backup  {took_backup:.1f} s\n"
        f"  restore {took_restore:.1f} s (with verification: "
        f"{report.audit.entries:,} audit entries, {report.decrypted} encrypted values opened)\n"
        f"  result  {'OK' if report.ok else 'FAILED'}"
        + ("" if report.ok else f": counts {report.mismatched}, audit {report.audit.problem!r}, "
           f"undecryptable {report.undecryptable[:5]}")
    )  # fmt: skip
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
