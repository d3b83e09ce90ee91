from django.db import migrations, models

# The plain and LIKE indexes that db_index made on the two hashes. Dropped by name rather
# than by AlterField: on SQLite an AlterField rebuilds the table, which drops the FTS
# triggers of the search index (kepu.core.search).
OLD_INDEXES = [
    "people_person_id_hash_918359a6",
    "people_person_id_hash_918359a6_like",
    "people_person_phone_hash_0f1e8fe3",
    "people_person_phone_hash_0f1e8fe3_like",
]


def drop_old_indexes(apps, schema_editor):
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_live_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="id_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="phone_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_old_indexes, migrations.RunPython.noop),
            ],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["phone_hash"], name="people_person_phone_hash"),
        ),
    ]
