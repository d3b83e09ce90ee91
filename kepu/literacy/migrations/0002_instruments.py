"""The shipped test structures (kepu/literacy/data/instruments.json): the 2024 national
structure, the 2016 基准 test and the satisfaction questionnaire."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments.json"


def load(apps, schema_editor):
    Instrument = apps.get_model("literacy", "Instrument")
    Dimension = apps.get_model("literacy", "Dimension")
    for spec in json.loads(DATA.read_text(encoding="utf-8")):
        dims = spec.pop("dimensions")
        instrument, _ = Instrument.objects.update_or_create(code=spec["code"], defaults=spec)
        for position, dim in enumerate(dims):
            Dimension.objects.update_or_create(
                instrument=instrument, code=dim["code"], defaults={**dim, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("literacy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
