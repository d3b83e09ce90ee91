"""The bench database: a PostgreSQL database or an SQLite file of its own per scale,
with a marker row saying which dataset it holds (so `--keep` can reuse it)."""

import json
import os
import sqlite3
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
MARKER_TABLE = "bench_dataset"  # not a Django model: the runner's note about the data


def url(db: str, scale: str, pg_url: str, *, own: bool = True, apps: str = "") -> str:
    """The database of `scale`; `own=False` for the smaller scales of a cost-growth run,
    which always use the scale's shared database. A dataset of some apps only (`apps`,
    e.g. "core,stats") has a database of its own, so it never replaces a full one."""
    if apps:
        scale = f"{scale}_{'_'.join(a.strip() for a in apps.split(',') if a.strip())}"
    if db == "postgres":
        # KEPU_BENCH_DB_NAME: a database of one's own (e.g. a copy made with
        # CREATE DATABASE … TEMPLATE kepu_bench_province) instead of the scale's.
        name = (own and os.environ.get("KEPU_BENCH_DB_NAME")) or f"kepu_bench_{scale}"
        return f"{pg_url.rstrip('/')}/{name}"
    return f"sqlite:///{ROOT / 'var' / f'bench-{scale}.sqlite3'}"


def _sqlite_path(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///"))


def recreate(database_url: str) -> None:
    """Drop the database and create it empty."""
    if database_url.startswith("sqlite:"):
        path = _sqlite_path(database_url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop(database_url: str) -> None:
    """Drop a PostgreSQL database, whoever is still connected to it."""
    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def read_marker(database_url: str) -> dict | None:
    """What `write_marker` noted, or None (no database, or no marker in it)."""
    try:
        if database_url.startswith("sqlite:"):
            path = _sqlite_path(database_url)
            if not path.exists():
                return None
            with sqlite3.connect(path) as connection:
                row = connection.execute(f"SELECT data FROM {MARKER_TABLE}").fetchone()  # noqa: S608
        else:
            with psycopg.connect(database_url) as connection:
                row = connection.execute(f"SELECT data FROM {MARKER_TABLE}").fetchone()  # noqa: S608
    except (sqlite3.Error, psycopg.Error):
        return None
    return json.loads(row[0]) if row else None


def write_marker(database_url: str, marker: dict) -> None:
    create = f"CREATE TABLE {MARKER_TABLE} (data TEXT NOT NULL)"
    data = json.dumps(marker, ensure_ascii=False)
    if database_url.startswith("sqlite:"):
        with sqlite3.connect(_sqlite_path(database_url)) as connection:
            connection.execute(create)
            connection.execute(f"INSERT INTO {MARKER_TABLE} VALUES (?)", (data,))  # noqa: S608
    else:
        with psycopg.connect(database_url) as connection:
            connection.execute(create)
            connection.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s)", (data,))  # noqa: S608
