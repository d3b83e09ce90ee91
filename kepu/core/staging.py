"""Staged imports: the dry run keeps the rows it validated (`ImportRow`, an unlogged
table on PostgreSQL), ready for the database, and applying them is one
`INSERT … SELECT` per model: no re-reading, no re-validation, no model instances.

A staged row holds the columns that vary by row (`columns`); the others come from a
template made at apply time from the model's defaults (`created_at` = now, …), so a
column added later with a Python default is filled without the import knowing it.
A column may also be looked up at apply time by a key of the staged row (the id of a
person inserted by the same import, found by its document hash)."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from kepu.core.models import ImportJob, ImportRow

# Defaults evaluated once per apply (the same moment for every row), not per row.
_SHARED_DEFAULTS = {timezone.now, timezone.localdate, datetime.date.today}


def db_value(model_field, value):
    """`value` as the database stores it, in a form JSON can carry (dates and times as
    the backend's text, UUIDs in the backend's form)."""
    value = model_field.get_db_prep_save(value, connection)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def write(job: ImportJob, rows: Iterable[tuple[str, int, int | None, dict]]) -> int:
    """Store the staged rows of `job`: (kind, sheet row, target id or None, data)."""
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy = "COPY core_importrow (job_id, kind, row, target_id, data) FROM STDIN"
            with cursor.cursor.copy(copy) as out:
                for kind, row, target, data in rows:
                    out.write_row((job.pk, kind, row, target, json.dumps(data)))
                    count += 1
        return count
    batch = []
    for kind, row, target, data in rows:
        batch.append(ImportRow(job=job, kind=kind, row=row, target_id=target, data=data))
        count += 1
        if len(batch) >= 2000:
            ImportRow.objects.bulk_create(batch)
            batch = []
    ImportRow.objects.bulk_create(batch)
    return count


def discard(job: ImportJob) -> None:
    ImportRow.objects.filter(job=job).delete()


def discard_jobs(pks) -> None:
    ImportRow.objects.filter(job__in=pks).delete()


# A dry run not applied within this time is dropped (its staged rows deleted, the job
# marked as having errors: the file must be checked again).
STAGED_DAYS = 7


def discard_stale() -> int:
    """Drop the staged rows of checks older than STAGED_DAYS; return how many jobs."""
    from django.utils.translation import gettext as _

    from kepu.core.choices import ImportStatus

    cutoff = timezone.now() - datetime.timedelta(days=STAGED_DAYS)
    stale = list(
        ImportJob.objects.filter(status=ImportStatus.VALIDATED, created_at__lt=cutoff)
        .filter(pk__in=ImportRow.objects.values("job"))
        .values_list("pk", flat=True)
    )
    if stale:
        message = _("This check has expired; upload the file again.")
        ImportJob.objects.filter(pk__in=stale).update(
            status=ImportStatus.INVALID,
            error_count=1,
            errors=[{"row": 0, "column": "", "message": message}],
        )
        ImportRow.objects.filter(job__in=stale).delete()
    return len(stale)


@dataclass
class Lookup:
    """A column found at apply time: `table.match` = the staged row's `key`; the
    column takes `table.value` (e.g. person_id from people_person.id by id_hash)."""

    table: str
    match: str
    key: str
    value: str = "id"


@dataclass
class Inserted:
    """What one `insert` wrote: the new ids' range and count (for the audit entry)."""

    first: int | None = None
    last: int | None = None
    count: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"first_id": self.first, "last_id": self.last, "count": self.count}


def template(model: type[Model], columns: Iterable[str], **fixed) -> dict[str, tuple]:
    """(database value, column type) of every column not staged per row: `fixed` ones,
    else the model's default (evaluated once), `auto_now` fields the current time."""
    instance = model()
    staged = set(columns)
    out = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in staged:
            continue
        if f.attname in fixed or f.name in fixed:
            value = fixed.get(f.attname, fixed.get(f.name))
        else:
            if f.has_default() and callable(f.default) and f.default not in _SHARED_DEFAULTS:
                raise ValueError(f"{model.__name__}.{f.name}: a per-row default must be staged")
            value = f.pre_save(instance, add=True)
        out[f.column] = (db_value(f, value), f.db_type(connection))
    return out


def insert(
    job: ImportJob,
    kind: str,
    model: type[Model],
    columns: list[str],
    *,
    fixed: dict | None = None,
    lookups: dict[str, Lookup] | None = None,
) -> Inserted:
    """INSERT … SELECT the staged rows of `kind` (without a target) into `model`'s
    table, in sheet order; return the new ids' range and count."""
    lookups = lookups or {}
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    base = template(model, [*columns, *lookups], **(fixed or {}))
    names, values, params = [], [], []
    joins = []
    postgres = connection.vendor == "postgresql"
    for column in columns:
        names.append(column)
        if postgres:
            values.append(f"r.{connection.ops.quote_name(column)}")
        else:
            values.append("json_extract(s.data, %s)")
            params.append(f'$."{column}"')
    join_params = []
    for n, (column, lookup) in enumerate(lookups.items()):
        alias = f"l{n}"
        names.append(column)
        values.append(f"{alias}.{connection.ops.quote_name(lookup.value)}")
        key = "s.data ->> %s" if postgres else "json_extract(s.data, %s)"
        match = f"{alias}.{connection.ops.quote_name(lookup.match)}"
        # The partial unique index's own condition, word for word, lets SQLite use it
        # (people_person_document_unique … WHERE NOT (id_hash = '')): without it every
        # staged row scanned the whole table (a 100k-row apply ran for hours).
        joins.append(
            f"JOIN {connection.ops.quote_name(lookup.table)} {alias} "
            f"ON {match} = {key} AND NOT ({match} = '')"
        )
        join_params.append(lookup.key if postgres else f'$."{lookup.key}"')
    for column, (value, db_type) in base.items():
        names.append(column)
        values.append(f"CAST(%s AS {db_type})" if postgres else "%s")
        params.append(value)
    source = "core_importrow s"
    if postgres:
        source += f" CROSS JOIN LATERAL jsonb_populate_record(NULL::{table}, s.data) r"
    select = (
        f"SELECT {', '.join(values)} FROM {source} {' '.join(joins)} "  # noqa: S608
        "WHERE s.job_id = %s AND s.kind = %s AND s.target_id IS NULL ORDER BY s.row"
    )
    # The parameters in the order of their placeholders: select list, joins, where.
    all_params = [*params, *join_params, job.pk if postgres else job.pk.hex, kind]
    insert_sql = f"INSERT INTO {table} ({', '.join(map(connection.ops.quote_name, names))}) "
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                f"WITH ins AS ({insert_sql}{select} RETURNING {pk}) "  # noqa: S608
                "SELECT min(" + pk + "), max(" + pk + "), count(*) FROM ins",
                all_params,
            )
            first, last, count = cursor.fetchone()
        else:
            # SQLite writes one transaction at a time: the new ids are those above the
            # highest before the insert.
            cursor.execute(f"SELECT coalesce(max({pk}), 0) FROM {table}")  # noqa: S608
            before = cursor.fetchone()[0]
            cursor.execute(insert_sql + select, all_params)
            cursor.execute(
                f"SELECT min({pk}), max({pk}), count(*) FROM {table} WHERE {pk} > %s",  # noqa: S608
                [before],
            )
            first, last, count = cursor.fetchone()
    return Inserted(first, last, count)


def staged(job: ImportJob, kind: str, *, targets: bool | None = None):
    """The staged rows of `kind` (with a target: updates; without: inserts)."""
    rows = ImportRow.objects.filter(job=job, kind=kind)
    if targets is not None:
        rows = rows.filter(target_id__isnull=not targets)
    return rows.order_by("row")
