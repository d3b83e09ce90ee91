"""Chinese full-text search that behaves like "contains" (Ctrl-F), on SQLite and
PostgreSQL alike, with no extension and no dictionary.

Each searchable field is cut into runs of letters/digits/CJK; every run becomes its
overlapping 2-character tokens ("科普教育" → "科普 普教 教育"; a 1-character run stays as it
is). A query term becomes the same tokens as a *phrase* (consecutive tokens), so it
matches exactly the rows in which some field contains the term — including 2-character
words such as 科普 or 地震, which word segmenters and trigram indexes miss. Terms
separated by spaces are ANDed. A 1-character term cannot use the index and falls back to
a plain `icontains` over the same fields.

The index: SQLite keeps an FTS5 table `<table>_fts` (rowid = row id) in step through
triggers; PostgreSQL has a GIN expression index on to_tsvector('simple', search_text).
Both are created by `fts_migration_operations(table)`.

A model with `SEARCH_VECTOR = True` has, on PostgreSQL, a stored column `search_vector`
(generated from search_text, with its own GIN index: `fts_vector_operations(table)`).
A phrase match must recheck every candidate row (GIN keeps no positions); with the
expression index that means computing to_tsvector for each of them (2.5 s for 80k
matches of 科普 in 100k catalog entries), with the stored vector it reads the column
(50 ms). The planner also keeps statistics of the column's lexemes, so that for a frequent
term it walks the list's order index and filters instead of collecting every match.
"""

from __future__ import annotations

import functools

from django.db import connection, migrations
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _runs(text: str) -> list[str]:
    """Runs of letters/digits, split where CJK meets other scripts (PostgreSQL's parser
    splits mixed tokens, so the index would disagree with itself)."""
    runs, current = [], []
    for char in (text or "").lower():
        if char.isalnum() and (not current or _is_cjk(char) == _is_cjk(current[-1])):
            current.append(char)
            continue
        if current:
            runs.append("".join(current))
        current = [char] if char.isalnum() else []
    if current:
        runs.append("".join(current))
    return runs


def bigrams(text: str) -> list[str]:
    tokens = []
    for run in _runs(text):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def search_text(*fields) -> str:
    """The indexed text of a row: each field's tokens, fields separated by " | " so that
    no token spans two fields."""
    return " | ".join(_field_text(str(f)) for f in fields if f)


@functools.lru_cache(maxsize=4096)
def _field_text(value: str) -> str:
    # Memoized: an import repeats the same titles and specialties on thousands of rows.
    return " ".join(bigrams(value))


def query_terms(query: str) -> list[str]:
    return ["".join(_runs(term)) for term in (query or "").split() if _runs(term)]


def search(queryset, query: str, *, fields: list[str]):
    """Rows of `queryset` in which, for every term of `query`, one of `fields` contains
    the term (case-insensitive). Uses the full-text index when every term has ≥ 2
    characters; `fields` are the model fields that `search_text` was built from."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if any(len(term) < 2 for term in terms):
        for term in terms:
            any_field = Q()
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(any_field)
        return queryset
    table = queryset.model._meta.db_table
    for term in terms:
        tokens = bigrams(term)
        if connection.vendor == "postgresql":
            # A condition on the row itself (not "id IN (subquery)"), so that PostgreSQL
            # reads the matching rows straight from the GIN index (bitmap scan). F()
            # resolves the column under whatever alias the query gives the table.
            stored = getattr(queryset.model, "SEARCH_VECTOR", False)
            queryset = queryset.filter(_matches(" ".join(tokens), stored=stored))
        else:
            phrase = '"' + " ".join(tokens) + '"'
            sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"
            queryset = queryset.filter(pk__in=RawSQL(sql, [phrase]))
    return queryset


class _StoredVector(Func):
    """The row's stored `search_vector` column, under the alias that the query gives the
    table (resolved through its `search_text`, which every searchable model has)."""

    def as_sql(self, compiler, connection, **extra_context):
        column = self.source_expressions[0]
        alias = compiler.quote_name_unless_alias(column.alias)
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _matches(tokens: str, *, stored: bool = False) -> Func:
    """to_tsvector('simple', search_text) @@ phraseto_tsquery('simple', tokens): the
    expression of the GIN index, so that the index serves it (or the stored vector)."""
    if stored:
        vector = _StoredVector(F("search_text"))
    else:
        vector = Func(F("search_text"), template="to_tsvector('simple', %(expressions)s)")
    query = Func(Value(tokens), template="phraseto_tsquery('simple', %(expressions)s)")
    return Func(
        vector, query, template="(%(expressions)s)", arg_joiner=" @@ ", output_field=BooleanField()
    )


def _forwards(table):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {table}_search_gin ON {table} "
                "USING gin (to_tsvector('simple', search_text))"
            )
            return
        for sql in (
            f"CREATE VIRTUAL TABLE {table}_fts USING fts5(search_text, tokenize='unicode61')",
            f"""CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN
                INSERT INTO {table}_fts(rowid, search_text)
                VALUES (new.id, new.search_text); END""",
            f"""CREATE TRIGGER {table}_fts_au AFTER UPDATE OF search_text ON {table} BEGIN
                UPDATE {table}_fts SET search_text = new.search_text
                WHERE rowid = old.id; END""",
            f"""CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN
                DELETE FROM {table}_fts WHERE rowid = old.id; END""",
            f"INSERT INTO {table}_fts(rowid, search_text) SELECT id, search_text FROM {table}",
        ):
            schema_editor.execute(sql)

    return run


def _backwards(table):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
            return
        for name in ("ai", "au", "ad"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")

    return run


def _vector_forwards(table):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_vector_gin ON {table} USING gin (search_vector) "
            "WITH (fastupdate = off)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")

    return run


def _vector_backwards(table):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        _forwards(table)(apps, schema_editor)
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return run


def fts_vector_operations(table: str) -> list:
    """Migration operations replacing the PostgreSQL expression index of `table` by a
    stored `search_vector` column with its own GIN index (the model then says
    `SEARCH_VECTOR = True`). Nothing changes on SQLite (FTS5 already stores its index)."""
    return [migrations.RunPython(_vector_forwards(table), _vector_backwards(table))]


def fts_migration_operations(table: str) -> list:
    """Migration operations creating the search index of `table` (needs a `search_text`
    column and an integer `id`)."""
    return [migrations.RunPython(_forwards(table), _backwards(table))]
