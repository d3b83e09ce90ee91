"""Service-order matching with 300,000 certified volunteers (see bench/README.md).

Adds 300k volunteers (with certified volunteer registrations) and 5k teams across the
demo province, skewed towards a few big districts, then times matching.suggest_volunteers
and matching.suggest_teams for orders in busy and quiet townships. Run it against a
throwaway database: it writes 600k rows.
"""

import datetime
import random
import statistics
import time
import uuid

from django.db import connection
from django.utils import timezone

from kepu.core.models import Region
from kepu.people import choices as pc
from kepu.people.demo import SPECIALTIES
from kepu.people.models import Person, Registration, Team, TeamMembership
from kepu.volunteering import matching
from kepu.volunteering.choices import ServiceCategory
from kepu.volunteering.models import ServiceOrder

VOLUNTEERS = 300_000
TEAMS = 5_000
BATCH = 5_000
rng = random.Random(4)
DISCIPLINES = [d.value for d in pc.Discipline]

townships = list(Region.objects.filter(path__startswith="51/", level=4).select_related("parent"))
# Skew: the first tenth of the townships (central districts) hold half of the volunteers.
busy = townships[: len(townships) // 10]

existing = Person.objects.filter(name__startswith="压测志愿者").count()
t0 = time.perf_counter()
if existing < VOLUNTEERS:
    made = existing
    while made < VOLUNTEERS:
        people = []
        for i in range(min(BATCH, VOLUNTEERS - made)):
            town = rng.choice(busy) if rng.random() < 0.5 else rng.choice(townships)
            people.append(
                Person(
                    name=f"压测志愿者{made + i}",
                    region=town,
                    specialties="、".join(rng.sample(SPECIALTIES, rng.choice((1, 2, 3)))),
                    discipline=rng.choice(DISCIPLINES),
                )
            )
        Person.objects.bulk_create(people, batch_size=BATCH)
        Registration.objects.bulk_create(
            [
                Registration(
                    person=p,
                    kind=pc.RegistrationKind.VOLUNTEER,
                    status=pc.RegistrationStatus.CERTIFIED,
                    region=p.region,
                )
                for p in people
            ],
            batch_size=BATCH,
        )
        made += len(people)
    counties = list(Region.objects.filter(path__startswith="51/", level=3))
    teams = Team.objects.bulk_create(
        [
            Team(
                name=f"压测服务队{i}",
                region=rng.choice(counties),
                specialties="、".join(rng.sample(SPECIALTIES, 2)),
            )
            for i in range(TEAMS)
        ],
        batch_size=BATCH,
    )
    sample = list(
        Person.objects.filter(name__startswith="压测志愿者").values_list("pk", flat=True)[:100_000]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=t, person_id=pk) for t in teams for pk in rng.sample(sample, 20)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
print(
    f"dataset: {Person.objects.count():,} people, {Team.objects.count():,} teams "
    f"({time.perf_counter() - t0:.1f} s to create)"
)


def order_in(town) -> ServiceOrder:
    start = timezone.now() + datetime.timedelta(days=2)
    # Not saved: matching only reads the order's fields.
    return ServiceOrder(
        pk=0,
        number="BENCH",
        client_key=uuid.uuid4(),
        category=rng.choice(ServiceCategory.values),
        key_group="elderly",
        region=town,
        address="-",
        window_start=start,
        window_end=start + datetime.timedelta(hours=3),
        expected_attendees=30,
        description="-",
    )


def timed(fn, order, runs=5):
    fn(order)  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn(order)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), result


print(f"database: {connection.vendor}")
print(
    "| order in | volunteers nearby "
    "| suggest_volunteers median / max ms | suggest_teams median / max ms |"
)
print("|---|---|---|---|")
for label, town in (
    ("busy township", busy[0]),
    ("quiet township", townships[-1]),
    ("county seat", busy[len(busy) // 2]),
):
    order = order_in(town)
    nearby = Person.objects.filter(region=town).count()
    vm, vx, suggestions = timed(matching.suggest_volunteers, order)
    tm, tx, _teams = timed(matching.suggest_teams, order)
    print(f"| {label} ({town.name}) | {nearby:,} | {vm:.0f} / {vx:.0f} | {tm:.0f} / {tx:.0f} |")
best = suggestions[0]
print("\nexample:", best.obj.name, best.score, "；".join(best.reasons))
