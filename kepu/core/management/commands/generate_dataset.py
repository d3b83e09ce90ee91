import gc
import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from kepu.core import dataset
from kepu.core.demo import load_demo
from kepu.core.models import Region


class Command(BaseCommand):
    help = (
        "Generate the synthetic benchmark dataset (one province at county, city or province "
        "scale) into an empty database after migrate and load_regions. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--apps",
            default="",
            help="only these apps' parts, by label (e.g. core,stats; default: every app)",
        )

    def handle(self, *args, **options):
        if not Region.objects.filter(code=dataset.PROVINCE).exists():
            raise CommandError("Run `manage.py load_regions` first.")
        started = time.perf_counter()
        self.stdout.write(
            f"dataset: scale {options['scale']}, seed {options['seed']}, {connection.vendor}"
        )
        # The demo accounts and units (the benchmark logs in as the demo personas).
        load_demo()
        ds = dataset.Dataset(options["scale"], options["seed"], out=self.stdout.write)
        wanted = {a.strip() for a in options["apps"].split(",") if a.strip()}
        modules = [dataset] if not wanted or "core" in wanted else []
        for config in apps.get_app_configs():
            if config.name == "kepu.core" or not config.name.startswith("kepu."):
                continue
            if wanted and config.label not in wanted:
                continue
            try:
                modules.append(importlib.import_module(f"{config.name}.dataset"))
            except ModuleNotFoundError:
                continue
        # Millions of acyclic row dicts stay alive until they are written: the cyclic
        # garbage collector would only rescan them (it made the catalog twice as slow).
        gc.disable()
        try:
            for module in modules:
                with transaction.atomic():
                    module.generate(ds)
        finally:
            gc.enable()
        ds.step("sequences and statistics", lambda: ds.finish() or 0)
        total = sum(rows for _label, rows, _s in ds.timings)
        self.stdout.write(f"dataset: {total:,} rows in {time.perf_counter() - started:.1f} s")
