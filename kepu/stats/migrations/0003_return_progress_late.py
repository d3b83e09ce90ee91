# The completeness index also holds `late`: completeness and timeliness per region are
# one index-only grouped query.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="return",
            name="stats_return_progress",
        ),
        migrations.AddIndex(
            model_name="return",
            index=models.Index(
                fields=["round", "region", "status", "late"], name="stats_return_progress"
            ),
        ),
    ]
