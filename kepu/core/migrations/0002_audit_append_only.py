"""Database-level protection of the audit trail: no UPDATE ever, no DELETE of entries
younger than the legal minimum retention (six months; 183 days). Applies whatever the
application code does, so a bug or a raw query cannot rewrite history."""

from django.db import migrations

MIN_DAYS = 183

SQLITE = [
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    f"""CREATE TRIGGER core_auditentry_no_recent_delete BEFORE DELETE ON core_auditentry
    WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_DAYS} days')
    BEGIN SELECT RAISE(ABORT, 'audit entries younger than {MIN_DAYS} days cannot be deleted'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_recent_delete;",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION core_auditentry_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries are append-only';
        END IF;
        IF OLD.created_at > now() - interval '{MIN_DAYS} days' THEN
            RAISE EXCEPTION 'audit entries younger than {MIN_DAYS} days cannot be deleted';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditentry_guard BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_guard();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_guard ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_auditentry_guard();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
