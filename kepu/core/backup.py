"""Backup and restore: the database and the files in one archive, with a manifest.

An archive (a tar file, mode 0600) holds:

- `database.dump` (PostgreSQL, `pg_dump -Fc`) or `database.sqlite3` (SQLite, through the
  online backup API, consistent while the platform runs);
- `media/…`: every uploaded file, import file, photo and job output (MEDIA_ROOT), and
  `var/…`: anything else the platform keeps in KEPU_VAR_DIR — but not the SQLite database
  (taken above), the collected static files (rebuilt by `collectstatic`) or backups;
- `manifest.json`: the row count of every table and the applied migrations — read in the
  same snapshot as the dump —, the sha256 of every member, the audit chain's head, and the
  fingerprints (not the keys) of the field key ring, the blind-index key and the audit key.

The keys are never in an archive: they are backed up apart (docs/deploy.md). `restore`
compares the fingerprints with the current keys first, restores into an empty database
(refusing a non-empty one unless forced), extracts the files, then proves the result: the
row counts equal the manifest, the audit chain verifies, and a sample of every encrypted
column decrypts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from kepu.core import auditchain, crypto

FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


# --- Keys -----------------------------------------------------------------------------------


def _fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"kepu key fingerprint|" + key).hexdigest()[:16]


def key_fingerprints() -> dict:
    """Fingerprints of the current keys (safe to store: they do not reveal the keys)."""
    _active, field_ring = crypto.key_ring(settings.FIELD_KEYS)
    _active, audit_ring = crypto.key_ring(settings.AUDIT_KEYS, "KEPU_AUDIT_KEY")
    return {
        "field_keys": {kid: _fingerprint(key) for kid, key in field_ring.items()},
        "blind_index": _fingerprint(crypto._blind_key(settings.BLIND_INDEX_KEY)),
        "audit_keys": {kid: _fingerprint(key) for kid, key in audit_ring.items()},
    }


def key_problems(recorded: dict) -> list[str]:
    """What the current keys lack to read a backup made with `recorded` fingerprints."""
    current = key_fingerprints()
    problems = []
    for group, name in (("field_keys", "KEPU_FIELD_KEYS"), ("audit_keys", "KEPU_AUDIT_KEY")):
        for kid, fp in recorded.get(group, {}).items():
            if kid not in current[group]:
                problems.append(f"{name} has no key {kid!r}, which the backup was made with")
            elif current[group][kid] != fp:
                problems.append(f"{name}: key {kid!r} differs from the backup's key {kid!r}")
    if recorded.get("blind_index") and recorded["blind_index"] != current["blind_index"]:
        problems.append("KEPU_BLIND_INDEX_KEY differs from the backup's")
    return problems


# --- Helpers --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore on the machine (a dump needs a client at least as new
    as the server): KEPU_PG_BIN_DIR, then /usr/lib/postgresql/<newest>/bin, then PATH."""
    candidates = []
    if settings.PG_BIN_DIR:
        candidates.append(Path(settings.PG_BIN_DIR) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"{name} not found: install the PostgreSQL client or set KEPU_PG_BIN_DIR")


def _pg_env(cfg: dict) -> tuple[list[str], dict]:
    """Connection arguments for the client tools (the password through the environment)."""
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if cfg.get(key):
            args += [flag, str(cfg[key])]
    return args, env


def _count_tables(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (introspected names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))")
    return [r[0] for r in cursor.fetchall()]


def _migrations(cursor) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _files(media_root: Path, var_dir: Path, skip: list[Path]):
    """(archive name, path) of every file to keep: MEDIA_ROOT as media/, the rest of
    KEPU_VAR_DIR as var/ (without the SQLite files, static files and backups)."""
    skip = [p.resolve() for p in skip]

    def walk(root: Path, prefix: str, exclude: list[Path]):
        if not root.is_dir():
            return
        for path in sorted(root.rglob("*")):
            resolved = path.resolve()
            if not path.is_file() or any(resolved.is_relative_to(x) for x in exclude):
                continue
            yield f"{prefix}/{path.relative_to(root).as_posix()}", path

    yield from walk(media_root, "media", skip)
    yield from walk(var_dir, "var", [*skip, media_root.resolve()])


def _var_skips(out: Path, tmp: Path) -> list[Path]:
    """What KEPU_VAR_DIR holds that is not to be archived as a file."""
    var_dir = Path(settings.VAR_DIR)
    skips = [Path(settings.STATIC_ROOT), var_dir / "backups", out, tmp]
    name = str(settings.DATABASES["default"].get("NAME") or "")
    if "sqlite" in settings.DATABASES["default"]["ENGINE"] and Path(name).is_absolute():
        skips += [Path(name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    return skips


# --- Backup ---------------------------------------------------------------------------------


def backup(out: Path, *, using: str = "default", log=print) -> dict:
    """Write an archive of the database `using` and the files to `out`; returns the
    manifest."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    started = time.monotonic()
    manifest = {
        "format": FORMAT,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "vendor": connection.vendor,
        "keys": key_fingerprints(),
    }
    old_umask = os.umask(0o077)
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".kepu-backup-") as tmp:
            tmp = Path(tmp)
            if connection.vendor == "postgresql":
                db_file = tmp / "database.dump"
                manifest.update(_dump_postgres(connection, db_file))
            elif connection.vendor == "sqlite":
                db_file = tmp / "database.sqlite3"
                manifest.update(_copy_sqlite(connection, db_file))
            else:
                raise BackupError(f"no backup for the {connection.vendor} database")
            log(f"database: {len(manifest['tables'])} tables in {time.monotonic() - started:.1f} s")
            members = {db_file.name: db_file}
            media, var_dir = Path(settings.MEDIA_ROOT), Path(settings.VAR_DIR)
            for name, path in _files(media, var_dir, _var_skips(out, tmp)):
                members[name] = path
            manifest["files"] = {}
            partial = tmp / "archive.tar"
            with tarfile.open(partial, "w") as tar:
                for name, path in members.items():
                    manifest["files"][name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                    tar.add(path, arcname=name, recursive=False)
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
                tar.addfile(info, _BytesReader(data))
            os.chmod(partial, 0o600)
            os.replace(partial, out)
    finally:
        os.umask(old_umask)
    manifest["seconds"] = round(time.monotonic() - started, 1)
    log(f"backup: {out} ({len(manifest['files'])} members) in {manifest['seconds']} s")
    return manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        chunk = self.data[self.pos :] if n < 0 else self.data[self.pos : self.pos + n]
        self.pos += len(chunk)
        return chunk


def _audit_head(cursor) -> dict:
    cursor.execute("SELECT seq, hash FROM core_auditentry ORDER BY seq DESC LIMIT 1")
    row = cursor.fetchone()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def _copy_sqlite(connection, target: Path) -> dict:
    """SQLite's online backup: a consistent copy while the platform keeps writing."""
    connection.ensure_connection()
    source = connection.connection
    if connection.in_atomic_block:
        # Inside a transaction (the test suite's in-memory database) the backup API waits
        # for a lock this very connection holds: copy its pages as it sees them instead.
        target.write_bytes(source.serialize())
    dest = sqlite3.connect(target)
    try:
        if not connection.in_atomic_block:
            source.backup(dest)
        cursor = dest.cursor()
        return {
            "tables": _count_tables(cursor, _sqlite_tables(dest)),
            "migrations": _migrations(cursor),
            "audit_head": _audit_head(cursor),
            "database": Path(str(connection.settings_dict["NAME"])).name,
        }
    finally:
        dest.close()


def _dump_postgres(connection, target: Path) -> dict:
    """pg_dump in a snapshot exported by a repeatable-read transaction, in which the row
    counts are read too: the manifest describes exactly what the dump holds."""
    cfg = connection.settings_dict
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            info = {
                "tables": _count_tables(cursor, _pg_tables(cursor)),
                "migrations": _migrations(cursor),
                "audit_head": _audit_head(cursor),
                "database": cfg["NAME"],
            }
            args, env = _pg_env(cfg)
            command = [pg_tool("pg_dump"), "-Fc", "--snapshot", snapshot, "-f", str(target)]
            # The client binary is found by pg_tool; arguments are a list, never a shell.
            done = subprocess.run(  # noqa: S603
                [*command, *args, "--dbname", cfg["NAME"]], env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        raw.rollback()
        return info
    finally:
        raw.close()


# --- Restore --------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    """What a restore proved: equal row counts, the audit chain, decryptable samples."""

    tables: int = 0
    mismatched: dict = field(default_factory=dict)
    audit: auditchain.Report | None = None
    decrypted: int = 0
    undecryptable: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.mismatched
            and self.audit is not None
            and self.audit.ok
            and not self.undecryptable
        )


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError(f"{archive} has no manifest.json: not a Kepu backup")
        return json.load(member)


def restore(
    archive: Path,
    *,
    database_url: str | None = None,
    media_root: Path | None = None,
    var_dir: Path | None = None,
    force: bool = False,
    accept_key_mismatch: bool = False,
    jobs: int = 2,
    log=print,
) -> RestoreReport:
    """Restore `archive` into the database at `database_url` (default: this platform's)
    and the files into `media_root`/`var_dir`, then verify the result."""
    started = time.monotonic()
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = key_problems(manifest.get("keys", {}))
    if problems and not accept_key_mismatch:
        raise BackupError(
            "the current keys cannot read this backup: "
            + "; ".join(problems)
            + ". Restore the keys kept apart from the backups (docs/deploy.md) first; "
            "without them the encrypted personal data and the audit chain cannot be read "
            "(--accept-key-mismatch restores anyway)."
        )
    cfg = (
        dj_database_url.parse(database_url) if database_url else dict(settings.DATABASES["default"])
    )
    vendor = "postgresql" if "postgresql" in cfg["ENGINE"] else "sqlite"
    if vendor != manifest["vendor"]:
        raise BackupError(f"a {manifest['vendor']} backup cannot be restored into {vendor}")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    var_dir = Path(var_dir or settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kepu-restore-", dir=var_dir) as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r") as tar:
            tar.extractall(tmp, filter="data")
        for name, meta in manifest["files"].items():
            path = tmp / name
            if not path.is_file() or _sha256(path) != meta["sha256"]:
                raise BackupError(f"{name} is missing or damaged in the archive (checksum)")
        files = [n for n in manifest["files"] if n.startswith(("media/", "var/"))]
        _check_file_targets(files, media_root, var_dir, force)
        if vendor == "postgresql":
            _restore_postgres(tmp / "database.dump", cfg, force=force, jobs=jobs)
        else:
            _restore_sqlite(tmp / "database.sqlite3", Path(cfg["NAME"]), force=force)
        log(f"database restored in {time.monotonic() - started:.1f} s")
        for name in files:
            root, _sep, rest = name.partition("/")
            target = (media_root if root == "media" else var_dir) / rest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp / name, target)
            os.chmod(target, 0o600)
    report = verify_restored(cfg, manifest)
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _check_file_targets(files, media_root: Path, var_dir: Path, force: bool) -> None:
    if force:
        return
    for name in files:
        root, _sep, rest = name.partition("/")
        target = (media_root if root == "media" else var_dir) / rest
        if target.exists():
            raise BackupError(f"{target} exists: restore into empty directories, or --force")


def _restore_sqlite(source: Path, target: Path, *, force: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.stat().st_size:
        existing = sqlite3.connect(target)
        try:
            has_tables = bool(_sqlite_tables(existing))
        finally:
            existing.close()
        if has_tables and not force:
            raise BackupError(f"{target} is not empty: restore into a fresh database, or --force")
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    os.chmod(target, 0o600)


def _pg_connect(cfg: dict, dbname: str):
    import psycopg

    keys = (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
    params = {k: cfg[v] for k, v in keys if cfg.get(v)}
    return psycopg.connect(dbname=dbname, autocommit=True, **params)


def _restore_postgres(dump: Path, cfg: dict, *, force: bool, jobs: int) -> None:
    from psycopg import sql

    name = cfg["NAME"]
    with _pg_connect(cfg, "postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with _pg_connect(cfg, name) as target:
        tables = target.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = ANY(current_schemas(false))"
        ).fetchone()[0]
    if tables and not force:
        raise BackupError(f"database {name} is not empty: restore into a fresh one, or --force")
    args, env = _pg_env(cfg)
    command = [pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error"]
    if tables:
        command += ["--clean", "--if-exists"]
    else:
        command += ["--jobs", str(max(1, jobs))]
    done = subprocess.run(  # noqa: S603 (pg_tool's binary, a list of arguments, no shell)
        [*command, *args, "--dbname", name, str(dump)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[-2000:]}")


@contextmanager
def database(cfg: dict, alias: str = "kepu_restore_check"):
    """A temporary connection, as `alias`, to the restored database (not in DATABASES)."""
    configured = connections.configure_settings(
        {"default": settings.DATABASES["default"], alias: dict(cfg)}
    )[alias]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def verify_restored(cfg: dict, manifest: dict, sample: int = 20) -> RestoreReport:
    """Row counts against the manifest, the audit chain, and `sample` values of every
    encrypted column opened with the current key ring."""
    report = RestoreReport()
    with database(cfg) as alias:
        connection = connections[alias]
        with connection.cursor() as cursor:
            tables = _pg_tables(cursor) if connection.vendor == "postgresql" else [
                t for (t,) in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
            ]  # fmt: skip
            counts = _count_tables(cursor, tables)
        expected = manifest["tables"]
        report.tables = len(expected)
        for table in sorted(set(expected) | set(counts)):
            if expected.get(table) != counts.get(table):
                report.mismatched[table] = [expected.get(table), counts.get(table)]
        report.audit = auditchain.verify(using=alias)
        for model in apps.get_models():
            sealed = [f.name for f in model._meta.concrete_fields if f.name.endswith("_enc")]
            for name in sealed:
                values = (
                    model._base_manager.using(alias)
                    .exclude(**{name: ""})
                    .order_by("pk")
                    .values_list("pk", name)[:sample]
                )
                for pk, token in values:
                    try:
                        crypto.open_sealed(token)
                        report.decrypted += 1
                    except crypto.CryptoError:
                        report.undecryptable.append(f"{model._meta.label}#{pk}.{name}")
    return report
