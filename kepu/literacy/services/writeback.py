"""Writing one or two float columns back to many rows by primary key, inside the
caller's transaction (the estimation's weights: one row per respondent, 30,000 for a
province round and far more for a national one).

The ORM's `bulk_update` builds a model instance per row and one `CASE WHEN pk = … THEN
…` expression per column and batch, which the database then scans linearly for each row:
for 30,000 rows that cost seconds. Here:

- on PostgreSQL each chunk is one `UPDATE … FROM unnest(%s::bigint[], %s::float8[], …)`
  statement: three array parameters, whatever the number of rows;
- on SQLite (in-process, no round trip) a prepared `UPDATE … WHERE id = ?` runs once per
  row through `executemany`, which SQLite executes as fast as it reads its B-tree.

Values are plain floats or None; nothing is adapted per row beyond that."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

CHUNK = 20_000


def update_columns(model, pks: Sequence[int], columns: dict[str, Sequence]) -> int:
    """Set `columns` ({field name: values, aligned with `pks`}) of the rows `pks` of
    `model`'s table. Returns the number of rows given."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk_column = quote(meta.pk.column)
    names = [quote(meta.get_field(name).column) for name in columns]
    pks = [int(pk) for pk in pks]
    values = [[None if v is None else float(v) for v in col] for col in columns.values()]
    if any(len(col) != len(pks) for col in values):
        raise ValueError("every column needs one value per primary key")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sets = ", ".join(f"{name} = v.c{k}" for k, name in enumerate(names))
            arrays = ", ".join(["%s::bigint[]"] + ["%s::float8[]"] * len(names))
            aliases = ", ".join(["id"] + [f"c{k}" for k in range(len(names))])
            sql = (
                f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({aliases}) "  # noqa: S608
                f"WHERE {table}.{pk_column} = v.id"
            )
            for start in range(0, len(pks), CHUNK):
                end = start + CHUNK
                cursor.execute(sql, [pks[start:end], *(col[start:end] for col in values)])
        else:
            sets = ", ".join(f"{name} = %s" for name in names)
            sql = f"UPDATE {table} SET {sets} WHERE {pk_column} = %s"  # noqa: S608
            rows = list(zip(*values, pks, strict=True))
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(sql, rows[start : start + CHUNK])
    return len(pks)
