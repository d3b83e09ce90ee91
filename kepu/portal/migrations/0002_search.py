from django.db import migrations

from kepu.core.search import fts_migration_operations


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = fts_migration_operations("portal_notice")
