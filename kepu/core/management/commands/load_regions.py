import time

from django.core.management.base import BaseCommand
from django.db import transaction

from kepu.core.models import Region
from kepu.core.regiondata import REGIONS_FILE, iter_regions


def load_regions(path=REGIONS_FILE, *, batch_size=5000) -> tuple[int, int]:
    """Insert the divisions of the data file that are missing and rename changed ones.
    Idempotent; returns (created, renamed). Rows are inserted level by level, so every
    parent already has its primary key when its children are built."""
    known = {
        code: (pk, name, path)
        for pk, code, name, path in Region.objects.values_list("pk", "code", "name", "path")
    }
    by_level: dict[int, list] = {}
    for row in iter_regions(path):
        by_level.setdefault(row[2], []).append(row)
    created = renamed = 0
    with transaction.atomic():
        for level in sorted(by_level):
            new = []
            for code, parent_code, _level, name in by_level[level]:
                if code in known:
                    pk, old_name, _path = known[code]
                    if old_name != name:
                        Region.objects.filter(pk=pk).update(name=name)
                        renamed += 1
                    continue
                parent_pk, parent_path = None, ""
                if parent_code:
                    parent_pk, _name, parent_path = known[parent_code]
                new.append(
                    Region(
                        code=code,
                        name=name,
                        level=level,
                        parent_id=parent_pk,
                        path=f"{parent_path}{code}/",
                    )
                )
            Region.objects.bulk_create(new, batch_size=batch_size)
            for region in new:
                known[region.code] = (region.pk, region.name, region.path)
            created += len(new)
    from kepu.core import regiontree

    regiontree.forget()
    return created, renamed


class Command(BaseCommand):
    help = "Load the administrative divisions of China (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        created, renamed = load_regions()
        from kepu.core.census import load_population

        populated = load_population()
        self.stdout.write(
            f"regions: {created} created, {renamed} renamed, "
            f"{Region.objects.count()} in all, {populated} census populations set "
            f"({time.monotonic() - started:.1f}s)"
        )
