"""The audit trail becomes tamper-evident (kepu/core/auditchain.py): every entry gets its
place in an HMAC hash chain (existing entries are chained in id order), signed seals and
purge records are kept in core_auditseal, and the database guards cover every way of
rewriting history on both databases:

- UPDATE: refused (an `INSERT … ON CONFLICT DO UPDATE` too).
- DELETE: only of entries older than the legal minimum retention (183 days) *and* covered
  by a signed purge record; on PostgreSQL through `core_auditentry_purge()` (SECURITY
  DEFINER), so the application's role needs no DELETE privilege (docs/deploy.md).
- SQLite's `INSERT OR REPLACE` deletes the row it replaces without firing DELETE triggers
  (unless recursive_triggers is on): a BEFORE INSERT trigger refuses an insert whose id or
  sequence number already exists, before the conflict is resolved.
- PostgreSQL's TRUNCATE: a BEFORE TRUNCATE statement trigger. (SQLite has no TRUNCATE; its
  "DELETE without WHERE" shortcut is disabled on a table with triggers.)
"""

import django.utils.timezone
from django.db import migrations, models

MIN_DAYS = 183
MIN_SQLITE = f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_DAYS} days')"
PURGED_SQLITE = "COALESCE((SELECT max(seq) FROM core_auditseal WHERE kind = 'purge'), 0)"

SQLITE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_recent_delete;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    f"""CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    WHEN OLD.created_at > {MIN_SQLITE} OR OLD.seq > {PURGED_SQLITE}
    BEGIN SELECT RAISE(ABORT,
        'audit entries are deleted only by the retention purge, after {MIN_DAYS} days'); END;""",
    """CREATE TRIGGER core_auditentry_no_replace BEFORE INSERT ON core_auditentry
    WHEN EXISTS (SELECT 1 FROM core_auditentry WHERE id = NEW.id OR seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (no replace)'); END;""",
    """CREATE TRIGGER core_auditseal_no_update BEFORE UPDATE ON core_auditseal
    BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
    """CREATE TRIGGER core_auditseal_no_delete BEFORE DELETE ON core_auditseal
    BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
    """CREATE TRIGGER core_auditseal_no_replace BEFORE INSERT ON core_auditseal
    WHEN EXISTS (SELECT 1 FROM core_auditseal WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit seals are append-only (no replace)'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_replace;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_update;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_replace;",
    f"""CREATE TRIGGER core_auditentry_no_recent_delete BEFORE DELETE ON core_auditentry
    WHEN OLD.created_at > {MIN_SQLITE}
    BEGIN SELECT RAISE(ABORT, 'audit entries younger than {MIN_DAYS} days cannot be deleted'); END;""",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION core_auditentry_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries are append-only';
        END IF;
        IF OLD.created_at > now() - interval '{MIN_DAYS} days'
           OR OLD.seq > COALESCE(
               (SELECT max(seq) FROM core_auditseal WHERE kind = 'purge'), 0) THEN
            RAISE EXCEPTION
                'audit entries are deleted only by the retention purge, after {MIN_DAYS} days';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql;""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% on %: the audit trail is append-only', TG_OP, TG_TABLE_NAME;
    END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();""",
    """CREATE TRIGGER core_auditseal_guard BEFORE UPDATE OR DELETE ON core_auditseal
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();""",
    """CREATE TRIGGER core_auditseal_no_truncate BEFORE TRUNCATE ON core_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();""",
    # The retention purge's one way in: runs with the owner's rights, so the application's
    # role can have no DELETE on the table; the guard above still applies row by row.
    """CREATE OR REPLACE FUNCTION core_auditentry_purge(upto bigint) RETURNS bigint
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE n bigint;
    BEGIN
        DELETE FROM core_auditentry WHERE seq <= upto;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END $$ LANGUAGE plpgsql;""",
]
POSTGRES_REVERSE = [
    "DROP FUNCTION IF EXISTS core_auditentry_purge(bigint);",
    "DROP TRIGGER IF EXISTS core_auditseal_no_truncate ON core_auditseal;",
    "DROP TRIGGER IF EXISTS core_auditseal_guard ON core_auditseal;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_audit_append_only();",
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
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, None)  # no parameters: "%" is PL/pgSQL's, not a placeholder


def chain_existing(apps, schema_editor):
    """Chain the entries written before this migration, in id order (the UPDATE guard is
    lifted for it on SQLite and disabled for the transaction on PostgreSQL)."""
    from kepu.core import auditchain

    connection = schema_editor.connection
    entry = apps.get_model("core", "AuditEntry")
    fields = [f for f in auditchain.FIELDS if f not in ("seq", "prev_hash")]
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_guard;")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update;")
    seq, prev, batch, after = 0, "", [], 0
    while True:
        rows = list(
            entry.objects.filter(pk__gt=after).order_by("pk").values_list("pk", *fields)[:5000]
        )
        if not rows:
            break
        for row in rows:
            seq += 1
            values = dict(zip(fields, row[1:], strict=True), seq=seq, prev_hash=prev)
            prev = auditchain.entry_hash(values)
            batch.append((seq, values["prev_hash"], prev, row[0]))
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE core_auditentry SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                batch,
            )
        batch, after = [], rows[-1][0]
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_guard;")


def guards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, POSTGRES if postgres else SQLITE)


def guards_reverse(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, POSTGRES_REVERSE if postgres else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0009_private_storage_for_imports_and_job_files")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=90),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=90),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(
                editable=False, unique=True, verbose_name="sequence number"
            ),
        ),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("seal", "Seal"), ("purge", "Purge")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("seq", models.BigIntegerField(verbose_name="sequence number")),
                ("entry_hash", models.CharField(blank=True, max_length=90)),
                ("entries", models.BigIntegerField(default=0, verbose_name="entries")),
                ("mac", models.CharField(max_length=90)),
            ],
            options={
                "verbose_name": "audit seal",
                "verbose_name_plural": "audit seals",
                "ordering": ["-seq", "-id"],
                "indexes": [
                    models.Index(fields=["kind", "seq"], name="core_audits_kind_9c7370_idx")
                ],
            },
        ),
        migrations.RunPython(guards, guards_reverse),
    ]
