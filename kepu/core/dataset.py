"""The synthetic dataset of `manage.py generate_dataset` (issue 8): a whole province at the
scale the platform is designed for, to measure it with `make bench`.

`Dataset` holds what every app's generator shares: the seeded random source, the scale,
the province's regions with a skewed weight (a few big cities, many small counties), and
`insert`, which writes rows in batches — COPY on PostgreSQL, executemany on SQLite — with
ids allocated up front so that related rows can point at them without reading back.

Each app may ship `dataset.generate(ds)`; they run in app order after core's. The
generators write rows in the state the services would leave them in (the demo's
vocabularies, encrypted personal data, search text) but not through the services, which
would take an hour at this scale. They write no audit entries.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterable

from django.db import connection, models
from django.utils import timezone

from kepu.core.choices import OrgType, RegionLevel
from kepu.core.models import Organization, Region

PROVINCE = "51"
# The mission's scale ("Scale to design for"); smaller scales are fractions of it.
PROVINCE_SIZES = {
    "organizations": 20_000,
    "people": 300_000,
    "teams": 5_000,
    "resources": 100_000,
    "activities": 200_000,
    "orders": 500_000,
    "hour_entries": 2_000_000,
}
SCALES = {"county": 0.01, "city": 0.1, "province": 1.0}
BATCH = 20_000

# Cities by weight: the capital dominates, a few regional centres follow, then the rest.
CITY_WEIGHTS = {"5101": 12, "5107": 4, "5113": 3, "5115": 3, "5105": 3, "5106": 3, "5111": 2}


class Dataset:
    def __init__(self, scale: str, seed: int, *, out: Callable[[str], None] = print):
        self.scale = scale
        self.factor = SCALES[scale]
        self.seed = seed
        self.rng = random.Random(seed)
        self.out = out
        # One time anchor for the whole run: the start of today (reruns on the same day
        # give the same rows).
        self.now = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        self.today = self.now.date()
        self.timings: list[tuple[str, int, float]] = []
        self.province = Region.objects.get(code=PROVINCE)
        subtree = list(Region.objects.subtree(self.province).order_by("path"))
        self.cities = [r for r in subtree if r.level == RegionLevel.PREFECTURE]
        self.counties = [r for r in subtree if r.level == RegionLevel.COUNTY]
        self.townships: dict[int, list[Region]] = {}
        for r in subtree:
            if r.level == RegionLevel.TOWNSHIP:
                self.townships.setdefault(r.parent_id, []).append(r)
        # County weight: its city's weight, doubled for urban districts (市辖区, 01–20).
        self.county_weights = [
            CITY_WEIGHTS.get(c.code[:4], 1) * (2 if int(c.code[4:6]) <= 20 else 1)
            for c in self.counties
        ]
        self._county_cum = _cumulative(self.county_weights)

    # --- sizes and places ---------------------------------------------------------------

    def size(self, key: str) -> int:
        return max(1, round(PROVINCE_SIZES[key] * self.factor))

    def county(self) -> Region:
        """A county drawn by weight (skewed towards the capital and the big cities)."""
        return self.rng.choices(self.counties, cum_weights=self._county_cum)[0]

    def place(self) -> Region:
        """A county or one of its townships, drawn by the county weights."""
        county = self.county()
        towns = self.townships.get(county.pk)
        return self.rng.choice(towns) if towns and self.rng.random() < 0.8 else county

    def county_of(self, region: Region) -> str:
        return region.path.split("/")[2] if region.level >= RegionLevel.COUNTY else ""

    def moment(self, days_back: int, days_forward: int = 0) -> datetime.datetime:
        """A time between `days_back` days ago and `days_forward` days ahead, in office
        hours."""
        day = self.now + datetime.timedelta(days=self.rng.randint(-days_back, days_forward))
        return day.replace(hour=self.rng.randint(8, 19), minute=self.rng.choice((0, 15, 30, 45)))

    # --- writing ------------------------------------------------------------------------

    def ids(self, model: type[models.Model], n: int) -> range:
        """`n` fresh primary keys for `model` (the rows must be inserted before the next
        call for the same model)."""
        top = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
        return range(top + 1, top + 1 + n)

    def insert(self, model: type[models.Model], rows: Iterable[dict]) -> int:
        """Insert `rows` (dicts of attname → value, each with its `id`); fields a row
        leaves out take their model default. Returns the number of rows."""
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        defaults = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults.append(lambda: self.now)
            elif f.has_default() and callable(f.default):
                defaults.append(f.default)
            else:
                value = f.get_default()
                defaults.append(lambda value=value: value)
        convert = [_converter(f) for f in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        batch: list[tuple] = []

        def flush():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
            batch.clear()

        names = [f.attname for f in fields]
        for row in rows:
            values = []
            for name, default, conv in zip(names, defaults, convert, strict=True):
                value = row[name] if name in row else default()
                values.append(conv(value) if conv and value is not None else value)
            batch.append(tuple(values))
            count += 1
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        return count

    def move_sequences(self, *models_) -> None:
        """Move the id sequences of `models_` past their highest id, so that ORM saves
        after an `insert` get fresh ids (PostgreSQL; SQLite takes the highest rowid)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in models_:
                pk = model._meta.pk
                if not isinstance(pk, models.AutoField):
                    continue
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"COALESCE((SELECT MAX({connection.ops.quote_name(pk.column)}) "
                    f"FROM {connection.ops.quote_name(table)}), 1))",
                    [table, pk.column],
                )

    def finish(self) -> None:
        """Move every id sequence past the inserted ids, build the rollups from the raw
        rows, and leave the database healthy: on PostgreSQL a VACUUM (ANALYZE), which
        also merges the GIN indexes' pending lists (autovacuum may be off, as it is on
        the benchmark machines: without it, search plans fall back to scans)."""
        from kepu.core import rollups

        self.move_sequences(*_all_models())
        rollups.rebuild_all(out=self.out)
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (the test suite's): ANALYZE there.
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")

    def step(self, label: str, fn: Callable[[], object]):
        """Run one generation step, print and record its row count (the step's result,
        or its length) and time; returns the step's result."""
        started = time.perf_counter()
        result = fn()
        rows = result if isinstance(result, int) else len(result)
        seconds = time.perf_counter() - started
        self.timings.append((label, rows, seconds))
        self.out(f"  {label:<28} {rows:>10,} rows  {seconds:7.1f} s")
        return result


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _all_models():
    from django.apps import apps

    return apps.get_models()


def _converter(field: models.Field):
    """How a Python value becomes a database value for this backend; None = as it is.
    psycopg adapts dates, decimals and UUIDs itself; SQLite needs Django's forms."""
    if isinstance(field, models.JSONField):
        return lambda v, f=field: f.get_db_prep_save(v, connection)
    if connection.vendor == "postgresql":
        return None
    if isinstance(
        field,
        models.DateTimeField | models.DateField | models.UUIDField | models.DecimalField,
    ):
        return lambda v, f=field: f.get_db_prep_save(v, connection)
    return None


# --- core: organizations ------------------------------------------------------------------

ORG_KINDS = [
    # (type, weight, name patterns; {place} is the county's or township's name)
    (
        OrgType.SCHOOL,
        40,
        ["{place}第{n}小学", "{place}实验小学", "{place}第{n}中学", "{place}中心校"],
    ),
    (OrgType.COMMUNITY, 30, ["{place}{road}社区", "{place}{road}社区居委会"]),
    (OrgType.ENTERPRISE, 12, ["四川{brand}科技有限公司", "{place}{brand}农业合作社"]),
    (OrgType.SOCIETY, 5, ["{place}{field}学会", "{place}{field}协会"]),
    (OrgType.VENUE, 4, ["{place}科普馆", "{place}青少年科技活动中心", "{place}科普教育基地"]),
    (OrgType.RESEARCH_INSTITUTE, 3, ["{place}{field}研究所", "{place}农业科学研究所"]),
    (OrgType.MEDIA, 2, ["{place}融媒体中心", "{place}广播电视台"]),
    (OrgType.OTHER, 4, ["{place}科技服务站", "{place}图书馆"]),
]
ROADS = [
    "人民",
    "建设",
    "解放",
    "滨江",
    "文化",
    "光明",
    "学府",
    "新华",
    "花园",
    "朝阳",
    "锦绣",
    "和平",
    "东风",
    "红星",
    "幸福",
]
BRANDS = [
    "天府",
    "蜀光",
    "锦城",
    "川科",
    "峨眉",
    "青城",
    "岷江",
    "嘉陵",
    "巴山",
    "蜀道",
    "星河",
    "云图",
    "智农",
    "安澜",
]
FIELDS = [
    "气象",
    "地震",
    "农学",
    "林学",
    "医学",
    "药学",
    "心理",
    "天文",
    "地质",
    "水利",
    "信息",
    "营养",
]


def generate(ds: Dataset) -> None:
    ds.step("organizations", lambda: _organizations(ds))


def _organizations(ds: Dataset) -> int:
    from kepu.core.demo import demo_credit_code

    have = Organization.objects.filter(region__path__startswith=f"{PROVINCE}/").count()
    n = max(0, ds.size("organizations") - have)
    kinds = [k for k in ORG_KINDS]
    weights = [k[1] for k in kinds]
    ids = ds.ids(Organization, n)
    seen: set[str] = set(Organization.objects.values_list("name", flat=True))
    codes: set[str] = set(Organization.objects.values_list("credit_code", flat=True))
    rows = []
    for pk in ids:
        org_type, _w, patterns = ds.rng.choices(kinds, weights=weights)[0]
        region = ds.place()
        place = region.name
        name = ""
        for attempt in range(20):
            name = ds.rng.choice(patterns).format(
                place=place,
                n=ds.rng.randint(1, 30) + attempt * 30,
                road=ds.rng.choice(ROADS),
                brand=ds.rng.choice(BRANDS),
                field=ds.rng.choice(FIELDS),
            )
            if name not in seen:
                break
        else:
            name = f"{name}（{pk}）"
        seen.add(name)
        code = demo_credit_code(name, region.code, org_type)
        code = "" if code in codes else code
        codes.add(code)
        rows.append(
            {
                "id": pk,
                "name": name,
                "org_type": org_type,
                "region_id": region.pk,
                "credit_code": code,
                "address": f"{region.name}{ds.rng.choice(ROADS)}路{ds.rng.randint(1, 300)}号",
                "created_at": ds.moment(1500),
            }
        )
    return ds.insert(Organization, rows)


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A UUID from the seeded source (uuid4 would make reruns differ)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)
