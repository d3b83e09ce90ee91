"""PostgreSQL: the search tokens stored as a tsvector column with its own GIN index.

The expression index of 0002 made every recheck (phrase queries are always rechecked)
and every row of an ordered walk recompute `to_tsvector(search_text)`; a stored column
is read instead, and ANALYZE keeps statistics of its tokens, so that the planner walks
the default-order index for a frequent term and uses the GIN index for a rare one.
SQLite keeps its FTS5 table (0002)."""

from django.db import migrations

TABLE = "activities_activity"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {TABLE}_vector_gin ON {TABLE} USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search_gin")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_gin ON {TABLE} "
        "USING gin (to_tsvector('simple', search_text))"
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
