"""What the benchmark runner reads from the database, through the ORM, in a process of its
own (the runner itself does not load Django):

    python -m bench.counts database | sizes | orders MARKER | signups MARKER

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
    reader = {"database": database, "sizes": sizes, "orders": orders, "signups": signups}[what]
    json.dump(reader(*args), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
