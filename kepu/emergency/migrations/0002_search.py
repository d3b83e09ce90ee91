from django.db import migrations

from kepu.core.search import fts_migration_operations


class Migration(migrations.Migration):
    dependencies = [("emergency", "0001_initial")]
    operations = fts_migration_operations("emergency_rumor") + fts_migration_operations(
        "emergency_rebuttal"
    )
