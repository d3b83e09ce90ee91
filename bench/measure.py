"""In-process measurements of `make bench` (run by bench/run.py against the bench database;
prints one JSON object on stdout):

- counts: rows of the main tables;
- search: the indexed Chinese search (`core.search`) beside a plain `icontains` scan of
  the same fields, with the two result sets compared;
- import: the Excel import of 100,000 people (dry run and apply) beside the floor of only
  reading the file with python-calamine; the apply is rolled back, so the dataset stays
  as generated;
- matching: the volunteer and team suggestions for service orders;
- rollups: the live plan-target measurements and the bulletins for all regions;
- literacy_estimation: the literacy estimation engine at 1,000,000 responses beside
  samplics (bench/literacy_estimation.py);
- sample: ids of rows for the detail pages and the submission load.
"""

import datetime
import io
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from kepu.core import imports, pii  # noqa: E402
from kepu.core.choices import RegionLevel  # noqa: E402
from kepu.core.excel import read_rows  # noqa: E402
from kepu.core.models import Organization, Region, User  # noqa: E402
from kepu.core.querysets import subtree_bounds  # noqa: E402
from kepu.core.search import search  # noqa: E402

IMPORT_ROWS = int(os.environ.get("KEPU_BENCH_IMPORT_ROWS", "100000"))
QUERIES = ["科普", "地震"]
PAGE = 25  # rows on the first page of a list
RUNS = 5


def timed(fn, runs=RUNS):
    """Median and best wall time (ms) of `runs` calls after one warm-up, and the last
    result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), result


def counts() -> dict:
    from django.apps import apps

    tables = [
        "core.Organization",
        "people.Person",
        "people.Registration",
        "people.Team",
        "people.TeamMembership",
        "activities.Activity",
        "activities.SignUp",
        "volunteering.ServiceOrder",
        "volunteering.OrderEvent",
        "volunteering.Assignment",
        "volunteering.HourEntry",
        "resources.Resource",
        "plans.Target",
        "plans.ProgressReport",
    ]
    out = {"regions": Region.objects.filter(path__startswith="51/").count() + 1}
    for label in tables:
        out[label] = apps.get_model(label).objects.count()
    return out


def _own_search(model, q, fields):
    """The model's own search (people: `matching`, activities: `search` on their stored
    vectors), as its pages use it; core's generic `search` for the others."""
    queryset = model.objects.all()
    for name in ("matching", "search"):
        method = getattr(queryset, name, None)
        if callable(method):
            return method(q)
    return search(queryset, q, fields=fields)


def measure_search() -> list[dict]:
    from kepu.activities.models import Activity
    from kepu.people.models import Person
    from kepu.resources.models import Resource

    rows = []
    for model in (Person, Resource, Activity):
        fields = model.SEARCH_FIELDS
        for q in QUERIES:
            scan_filter = Q()
            for field in fields:
                scan_filter |= Q(**{f"{field}__icontains": q})

            def indexed(model=model, q=q, fields=fields):
                return set(_own_search(model, q, fields).values_list("pk", flat=True))

            def scan(model=model, scan_filter=scan_filter):
                return set(model.objects.filter(scan_filter).values_list("pk", flat=True))

            order = [*model._meta.ordering, "pk"]

            def first_page(model=model, q=q, fields=fields, order=order):
                found = _own_search(model, q, fields).order_by(*order)
                return list(found.values_list("pk", flat=True)[:PAGE])

            def scan_page(model=model, scan_filter=scan_filter, order=order):
                rows = model.objects.filter(scan_filter).order_by(*order)
                return list(rows.values_list("pk", flat=True)[:PAGE])

            i_med, i_best, i_ids = timed(indexed)
            s_med, s_best, s_ids = timed(scan)
            p_med, _p_best, page = timed(first_page)
            rows.append(
                {
                    "table": model._meta.label,
                    "rows": model.objects.count(),
                    "query": q,
                    "hits": len(i_ids),
                    "identical": i_ids == s_ids,
                    "only_indexed": len(i_ids - s_ids),
                    "only_scan": len(s_ids - i_ids),
                    "first_page": page == scan_page(),
                    "first_page_ms": round(p_med, 1),
                    "indexed_ms": round(i_med, 1),
                    "scan_ms": round(s_med, 1),
                    "speedup": round(s_med / i_med, 1) if i_med else None,
                }
            )
    return rows


def _workbook(columns, make_row, rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.header)
    for r in range(1, rows + 1):
        for c, value in enumerate(make_row(r)):
            if value:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def people_workbook(rows: int = IMPORT_ROWS) -> bytes:
    """The benchmark's people import file: `rows` new people spread over the demo
    province's counties, every row valid (also used by bench/import_job.py)."""
    from kepu.people.io import person_columns

    counties = list(
        Region.objects.filter(path__startswith="51/", level=RegionLevel.COUNTY).values_list(
            "code", flat=True
        )
    )

    def person_row(r):
        county = counties[r % len(counties)]
        # Born 1940–1944: outside the generated people's years, so no number repeats.
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=r // 1000)
        body = f"{county}{born:%Y%m%d}{r % 1000:03d}"
        return [
            f"导入{r}",
            "居民身份证",
            body + pii.id_check_char(body),
            f"13{r:09d}",
            "",
            county,
            "",
            "本科",
            "中级",
            "工程师",
            "170",
            "地震科普",
            "科技志愿者",
        ]

    return _workbook(person_columns(), person_row, rows)


def measure_import() -> dict:
    from kepu.people.io import person_columns

    actor = User.objects.get(username="demo-province")
    columns = person_columns()
    data = people_workbook()
    started = time.perf_counter()
    rows = sum(1 for _ in read_rows(data, columns))  # in the limited child process
    floor = time.perf_counter() - started
    spec = imports.get_spec("people.person")
    started = time.perf_counter()
    job = imports.validate_import(spec, SimpleUploadedFile("bench.xlsx", data), actor=actor)
    dry = time.perf_counter() - started
    with transaction.atomic():
        started = time.perf_counter()
        job = imports.apply_import(job, actor=actor)
        applied = time.perf_counter() - started
        created = job.to_create
        status = job.status
        transaction.set_rollback(True)  # keep the dataset as generated
    return {
        "rows": rows,
        "bytes": len(data),
        "read_floor_s": round(floor, 2),
        "dry_run_s": round(dry, 2),
        "dry_run_ratio": round(dry / floor, 2),
        "apply_s": round(applied, 2),
        "apply_ratio": round(applied / floor, 2),
        "total_ratio": round((dry + applied) / floor, 2),
        # Per-row cost (µs): reading the file; the dry run (reading, checking, encrypting
        # and hashing, staging); the apply (INSERT … SELECT of the staged rows, indexes,
        # foreign keys, one audit entry).
        "read_us_per_row": round(floor / rows * 1e6, 1),
        "dry_run_us_per_row": round(dry / rows * 1e6, 1),
        "apply_us_per_row": round(applied / rows * 1e6, 1),
        "created": created,
        "status": status,
        "errors": job.error_count,
    }


def measure_matching() -> list[dict]:
    from kepu.people.models import Person
    from kepu.volunteering import matching
    from kepu.volunteering.choices import ServiceCategory
    from kepu.volunteering.models import ServiceOrder

    townships = list(Region.objects.filter(path__startswith="51/", level=RegionLevel.TOWNSHIP))
    by_people = {
        row["region"]: row["n"]
        for row in Person.objects.filter(region__level=RegionLevel.TOWNSHIP)
        .values("region")
        .annotate(n=Count("pk"))
    }
    townships.sort(key=lambda r: by_people.get(r.pk, 0))
    out = []
    start = timezone.now() + datetime.timedelta(days=2)
    for label, town in (("busy township", townships[-1]), ("quiet township", townships[0])):
        order = ServiceOrder(
            pk=0,
            number="BENCH",
            client_key=uuid.uuid4(),
            category=ServiceCategory.HEALTH,
            key_group="elderly",
            region=town,
            address="-",
            window_start=start,
            window_end=start + datetime.timedelta(hours=3),
            expected_attendees=30,
            description="健康科普讲座",
        )
        v_med, _b, _r = timed(lambda order=order: matching.suggest_volunteers(order), runs=3)
        t_med, _b, _r = timed(lambda order=order: matching.suggest_teams(order), runs=3)
        out.append(
            {
                "order_in": f"{label} ({town.name})",
                "people_there": by_people.get(town.pk, 0),
                "suggest_volunteers_ms": round(v_med, 1),
                "suggest_teams_ms": round(t_med, 1),
            }
        )
    return out


def measure_rollups() -> list[dict]:
    """The statistics of all regions, each through the function its page calls (so that
    they measure whatever the app reads: rollups where it has them). Issue 16's goal:
    each ≤ 1 s. Hooks for the lead at merge: a function an app adds for its rollup
    figures goes here under the same "what" label."""
    from kepu.activities import stats as activity_stats
    from kepu.core import periods
    from kepu.core.rollups import counts_by_child_region
    from kepu.people import stats as people_stats
    from kepu.plans import progress
    from kepu.plans.indicators import INDICATORS
    from kepu.plans.models import Target
    from kepu.volunteering import stats

    province = Region.objects.get(code="51")
    regions = list(
        Region.objects.filter(
            path__startswith="51/", level__in=(RegionLevel.PREFECTURE, RegionLevel.COUNTY)
        )
    )
    today = timezone.localdate()
    since = today.replace(month=1, day=1)
    officer = User.objects.get(username="demo-province")
    period = periods.default_period(today)
    out = []

    med, best, _r = timed(
        lambda: people_stats.region_stats(officer, province, people_stats.baseline_date({})),
        runs=3,
    )
    out.append({"what": "people statistics by region, province", "ms": round(med, 1)})

    def all_indicators():
        return {i.code: i.for_regions(regions, since, today) for i in INDICATORS}

    med, best, _r = timed(all_indicators, runs=3)
    out.append(
        {
            "what": f"plan indicators, {len(INDICATORS)} × {len(regions)} cities and counties",
            "ms": round(med, 1),
        }
    )
    targets = list(Target.objects.select_related("plan", "region", "organization"))
    med, best, _r = timed(lambda: progress.standings(targets, today), runs=3)
    out.append({"what": f"standing of all {len(targets)} plan targets", "ms": round(med, 1)})
    med, best, _r = timed(lambda: stats.compute(province, period), runs=3)
    out.append({"what": "volunteer-service bulletin, province (21 cities)", "ms": round(med, 1)})
    cities = [r for r in regions if r.level == RegionLevel.PREFECTURE]
    med, best, _r = timed(lambda: [stats.compute(c, period) for c in cities], runs=1)
    out.append(
        {"what": f"volunteer-service bulletins of all {len(cities)} cities", "ms": round(med, 1)}
    )
    med, best, _r = timed(
        lambda: activity_stats.by_region(
            officer, province, period=periods.default_period(today, periods.YEAR)
        ),
        runs=3,
    )
    out.append({"what": "activity statistics by region, province", "ms": round(med, 1)})
    med, best, _r = timed(
        lambda: counts_by_child_region(Organization.objects.all(), province), runs=3
    )
    out.append({"what": "dashboard: organizations by city", "ms": round(med, 1)})
    return out


def sample() -> dict:
    from kepu.activities.models import Activity
    from kepu.people.models import Person
    from kepu.plans.models import Plan
    from kepu.resources.models import Resource
    from kepu.volunteering.models import ServiceOrder

    county_a = Region.objects.get(code="510104")
    low, high = subtree_bounds(county_a.path)
    in_a = Q(region__path__gte=low, region__path__lt=high)
    signup = (
        Activity.objects.filter(
            in_a, status="published", signup_required=True, starts_at__gt=timezone.now()
        )
        .filter(Q(capacity__isnull=True) | Q(capacity__gte=10_000))  # room for the load
        .order_by("-capacity", "starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "person": Person.objects.filter(in_a).values_list("pk", flat=True).first(),
        "activity": Activity.objects.filter(in_a, status="published")
        .values_list("pk", flat=True)
        .first(),
        "signup_activity": signup,
        "order": ServiceOrder.objects.filter(in_a).values_list("pk", flat=True).first(),
        "resource": str(
            Resource.objects.filter(status="published", resource_type="place")
            .values_list("uid", flat=True)
            .first()
        ),
        "plan": Plan.objects.values_list("pk", flat=True).first(),
        "county_a": "510104",
        "incident": _incident(),
        "base": _base(),
        **_selections(in_a),
        **_literacy(),
        **_contests(),
        **_stats(),
        **_talents(in_a),
        **_assessments(),
    }


def _talents(in_a) -> dict:
    """The round with the most applications and a high-level talent of county A."""
    from kepu.people.models import EvaluationRound, HighLevelTalent

    return {
        "talent_round": EvaluationRound.objects.order_by("-application_count", "-pk")
        .values_list("pk", flat=True)
        .first(),
        "talent": HighLevelTalent.objects.filter(in_a).values_list("pk", flat=True).first(),
    }


def _assessments() -> dict:
    """The province's round over its cities and 成都市's over its counties (published)."""
    from kepu.plans.models import AssessmentRound

    rounds = AssessmentRound.objects.filter(kind="regions")
    return {
        "assess_province": rounds.filter(region__code="51").values_list("pk", flat=True).first(),
        "assess_city": rounds.filter(region__code="5101").values_list("pk", flat=True).first(),
    }


def _literacy() -> dict:
    """The latest published round and the latest computed index; {} without them."""
    from kepu.literacy.models import IndexTree, SurveyRound

    return {
        "literacy_round": SurveyRound.objects.filter(status="published")
        .order_by("-pk").values_list("pk", flat=True).first(),
        "literacy_index": IndexTree.objects.filter(computed_at__isnull=False)
        .order_by("-pk").values_list("pk", flat=True).first(),
    }  # fmt: skip


def _contests() -> dict:
    """The dataset's contest and its finished round (a million standings); {} without."""
    from kepu.contests import dataset
    from kepu.contests.models import Contest

    contest = Contest.objects.filter(title=dataset.TITLE).order_by("pk").first()
    if contest is None:
        return {}
    done = contest.rounds.filter(status="published").order_by("position").first()
    return {"contest": contest.pk, "contest_round": done.pk if done else None}


def _stats() -> dict:
    """The statistics survey's pages by URL name (bench/stats_survey.py); {} without."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stats_survey import paths

    return paths()


def _selections(in_a) -> dict:
    """The call in expert review with the most entries, an entry of 锦江区 in it, a call
    in its 公示, and an open project; {} without selections rows."""
    from kepu.selections.models import Call, Entry, Project

    call = (
        Call.objects.filter(status="reviewing").order_by("-entry_count", "-pk")
        .values_list("pk", flat=True).first()
    )  # fmt: skip
    return {
        "call": call,
        "entry": Entry.objects.filter(in_a, call_id=call).values_list("pk", flat=True).first(),
        "notice_call": Call.objects.filter(status="publicity").values_list("pk", flat=True).first(),
        "project": Project.objects.filter(status="contracted").values_list("pk", flat=True).first(),
    }


def _base():
    """A listed base with its place on the map (the public base page); None without
    bases."""
    from kepu.bases.models import Base

    listed = Base.objects.listed().order_by("-valid_from", "-pk")
    return (
        listed.filter(place__isnull=False).values_list("pk", flat=True).first()
        or listed.values_list("pk", flat=True).first()
    )


def _incident():
    """The public page measured under a surge: the newest open real incident (the one
    people look for), else the newest real one; None without emergency rows."""
    from kepu.emergency.models import Incident

    real = Incident.objects.filter(is_drill=False).order_by("-activated_at", "-pk")
    return (
        real.exclude(status="closed").values_list("pk", flat=True).first()
        or real.values_list("pk", flat=True).first()
    )


def measure_ping() -> dict:
    """Enqueue a small job every 0.1 s for KEPU_BENCH_PING_SECONDS (while bench/jobs.py
    loads the server), wait for them, and read enqueue → start from the rows."""
    from kepu.core import jobs
    from kepu.core.models import Job

    seconds = float(os.environ.get("KEPU_BENCH_PING_SECONDS", "10"))
    ids = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ids.append(jobs.start("core.ping").pk)
        time.sleep(0.1)
    wait_until = time.monotonic() + 120
    while Job.objects.filter(pk__in=ids, finished_at=None).exists():
        if time.monotonic() > wait_until:
            break
        time.sleep(0.5)
    rows = Job.objects.filter(pk__in=ids).exclude(started_at=None)
    waits = sorted((j.started_at - j.created_at).total_seconds() * 1000 for j in rows)
    Job.objects.filter(pk__in=ids).delete()
    if not waits:
        return {"jobs": len(ids), "started": 0}
    return {
        "jobs": len(ids),
        "started": len(waits),
        "p50_ms": round(statistics.median(waits), 1),
        "p95_ms": round(waits[int(0.95 * (len(waits) - 1))], 1),
        "max_ms": round(waits[-1], 1),
    }


def measure_bulletin_job() -> dict:
    """The volunteer-service bulletins of all 21 cities as one job (one PDF per city in a
    ZIP), started as the province officer and run by the worker bench/jobs.py started."""
    from django.http import QueryDict

    from kepu.core import periods
    from kepu.core.models import Job
    from kepu.volunteering import bulletins

    actor = User.objects.get(username="demo-province")
    province = Region.objects.get(code="51")
    period, _errors = periods.parse_period(QueryDict("period=year"))
    job = bulletins.start_batch(actor, province, period)
    deadline = time.monotonic() + 600
    while not Job.objects.get(pk=job.pk).finished and time.monotonic() < deadline:
        time.sleep(0.5)
    job = Job.objects.get(pk=job.pk)
    if job.file:
        job.file.delete(save=False)
    return {
        "regions": job.result.get("bulletins"),
        "status": job.status,
        "queue_wait_s": round((job.started_at - job.created_at).total_seconds(), 2)
        if job.started_at
        else None,
        "job_s": round((job.finished_at - job.started_at).total_seconds(), 1)
        if job.finished_at and job.started_at
        else None,
        "error": job.error,
    }


def unimport() -> dict:
    """Remove the people the benchmark's import-as-a-job created (born 1940–1944, named
    导入…: no generated person is), and put their counters back."""
    from kepu.core import rollups
    from kepu.people.models import Person, Registration

    people = Person.objects.filter(
        name__startswith="导入", birth_date__year__lte=1944, birth_date__year__gte=1940
    )
    with transaction.atomic():
        registrations = Registration.objects.filter(person__in=people).delete()[0]
        removed = people.delete()[0]
    drift = {
        name: len(rollups.reconcile(name, fix=True))
        for name in rollups.metrics()
        if name.startswith("people.")
    }
    return {"people": removed, "registrations": registrations, "counters_fixed": drift}


def measure_emergency_activation() -> dict:
    """Activation to the proposed expert group on the province dataset (issue 25)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from emergency_group import measure_activation

    return measure_activation()


def measure_emergency_push() -> dict:
    """A push to every channel of the province: enqueue time, delivery by one worker
    process, lost and duplicated recipients counted in the database (issue 25)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from emergency_push import push_to_province

    return push_to_province(workers=1, env=dict(os.environ))


def measure_subsidy_preview() -> dict:
    """The subsidy preview over every base of the province (issue 23)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bases_subsidy import preview_province

    return preview_province()


def measure_bases_evaluation() -> dict:
    """The annual evaluation of every base of the province at once (issue 23)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bases_evaluation import evaluate_all

    return evaluate_all()


def measure_selections_assignment() -> dict:
    """The reviewer assignment (2,000 × 300 × 5) and the severity ranking (10,000 scores)
    of selections, synthetic and in-process (issue 24)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from selections_assignment import measure

    return measure()


def measure_contest_writes() -> dict:
    """The database's side of a contest burst: answers a second stored one by one (1 and
    8 connections) and batched (issue 21's design figures; bench/contest_writes.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from contest_writes import measure

    return measure()


def measure_stats_survey() -> dict:
    """The statistics survey: the aggregates of every region recomputed, and a table of
    5,000 units validated beside the read floor (issue 22; bench/stats_survey.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stats_survey import measure

    return measure()


def measure_literacy_estimation() -> dict:
    """The literacy estimation engine: 1,000,000 responses scored, raked and estimated
    for every city × 6 groups, beside samplics on the same inputs (issue 20). In a process
    of its own: one BLAS thread (set before numpy loads), and samplics' n × R
    replicate-weight matrix (several GB) freed with it."""
    import subprocess

    script = Path(__file__).resolve().parent / "literacy_estimation.py"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    completed = subprocess.run(
        [sys.executable, str(script)], env=env, check=True, stdout=subprocess.PIPE
    )
    return json.loads(completed.stdout)


def main():
    only = set(sys.argv[1:])
    # Run only when asked by name (bench/jobs.py): they need a worker, or undo its work.
    explicit = {"ping": measure_ping, "unimport": unimport, "bulletin_job": measure_bulletin_job}
    sections = {
        "counts": counts,
        "search": measure_search,
        "rollups": measure_rollups,
        "matching": measure_matching,
        "import": measure_import,
        "emergency_activation": measure_emergency_activation,
        "emergency_push": measure_emergency_push,
        "subsidy_preview": measure_subsidy_preview,
        "bases_evaluation": measure_bases_evaluation,
        "selections_assignment": measure_selections_assignment,
        "literacy_estimation": measure_literacy_estimation,
        "contest_writes": measure_contest_writes,
        "stats_survey": measure_stats_survey,
        "sample": sample,
    }
    result = {"database": connection.vendor}
    sections.update({name: fn for name, fn in explicit.items() if name in only})
    for name, fn in sections.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        result[name] = fn()
        print(f"measured {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()


if __name__ == "__main__":
    main()
