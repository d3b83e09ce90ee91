"""What the benchmark runner reads from the database, through the ORM, in a process of its
own (the runner itself does not load Django):

    python -m bench.counts database | health | sizes | orders MARKER | signups MARKER

prints one JSON object on stdout.
"""

import json
import os
import sys


def database() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return {"vendor": "PostgreSQL", "version": cursor.fetchone()[0]}
        cursor.execute("SELECT sqlite_version()")
        return {"vendor": "SQLite", "version": cursor.fetchone()[0]}


def sizes() -> dict:
    """Rows per table of the platform's models (those with any)."""
    from django.apps import apps

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("kepu.") and model._meta.managed
    }
    return {label: count for label, count in sorted(counts.items()) if count}


HEALTH_SETTINGS = [
    "autovacuum",
    "autovacuum_naptime",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_analyze_scale_factor",
    "gin_pending_list_limit",
    "maintenance_work_mem",
    "work_mem",
    "shared_buffers",
    "effective_cache_size",
    "random_page_cost",
]


def health() -> dict:
    """The database's health as the benchmark found it: autovacuum and index settings,
    the GIN indexes' pending lists (unmerged entries make searches scan), the largest
    indexes, and when the largest tables were last vacuumed and analyzed."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"vendor": connection.vendor}
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, unit, source FROM pg_settings WHERE name = ANY(%s)",
            [HEALTH_SETTINGS],
        )
        out["settings"] = [
            {"setting": n, "value": f"{v}{' ' + u if u else ''}", "source": src}
            for n, v, u, src in sorted(cursor.fetchall(), key=lambda r: HEALTH_SETTINGS.index(r[0]))
        ]
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
            stattuple = True
        except Exception:  # noqa: BLE001 - not installed: pending lists unknown
            stattuple = False
        pending = "p.pending_pages, p.pending_tuples" if stattuple else "NULL, NULL"
        lateral = ", LATERAL pgstatginindex(c.oid) p" if stattuple else ""
        cursor.execute(
            f"SELECT c.relname, t.relname, pg_relation_size(c.oid), {pending}, "  # noqa: S608
            "coalesce(array_to_string(c.reloptions, ', '), '') "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam "
            f"JOIN pg_namespace n ON n.oid = c.relnamespace{lateral} "
            "WHERE am.amname = 'gin' AND n.nspname = 'public' ORDER BY 3 DESC"
        )
        out["gin_indexes"] = [
            {
                "index": name,
                "table": table,
                "size_mb": round(size / 2**20, 1),
                "pending_pages": pages,
                "pending_tuples": tuples,
                "options": options or "fastupdate=on (default)",
            }
            for name, table, size, pages, tuples, options in cursor.fetchall()
        ]
        cursor.execute(
            "SELECT indexrelname, relname, pg_relation_size(indexrelid), idx_scan "
            "FROM pg_stat_user_indexes ORDER BY 3 DESC LIMIT 15"
        )
        out["largest_indexes"] = [
            {"index": i, "table": t, "size_mb": round(size / 2**20, 1), "scans": scans}
            for i, t, size, scans in cursor.fetchall()
        ]
        cursor.execute(
            "SELECT relname, n_live_tup, n_dead_tup, "
            "greatest(last_vacuum, last_autovacuum), greatest(last_analyze, last_autoanalyze) "
            "FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 15"
        )
        out["tables"] = [
            {
                "table": name,
                "live_rows": live,
                "dead_rows": dead,
                "last_vacuum": vacuum.isoformat(timespec="seconds") if vacuum else None,
                "last_analyze": analyze.isoformat(timespec="seconds") if analyze else None,
            }
            for name, live, dead, vacuum, analyze in cursor.fetchall()
        ]
    return out


def orders(marker: str) -> dict:
    """The orders a submission load placed: how many, with how many distinct client
    keys, and their numbers."""
    from kepu.volunteering.models import ServiceOrder

    rows = ServiceOrder.objects.filter(description__contains=marker)
    return {
        "rows": rows.count(),
        "distinct": rows.values("client_key").distinct().count(),
        "ids": list(rows.values_list("number", flat=True)),
    }


def signups(marker: str) -> dict:
    """The sign-ups a submission load made: how many, with how many distinct phone
    numbers, and their ticket tokens."""
    from kepu.activities.models import SignUp

    rows = SignUp.objects.filter(name=marker)
    return {
        "rows": rows.count(),
        "distinct": rows.values("phone_hash").distinct().count(),
        "ids": [str(token) for token in rows.values_list("token", flat=True)],
    }


def main(what: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    reader = {
        "database": database,
        "health": health,
        "sizes": sizes,
        "orders": orders,
        "signups": signups,
    }[what]
    json.dump(reader(*args), sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:])
