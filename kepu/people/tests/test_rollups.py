"""The registry's counters stay equal to the rows: after a random sequence of service
calls every metric reconciles with no drift, the statistics read from the counters equal
the statistics counted from the rows, and the stored team sizes equal the memberships."""

import datetime
import random

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from kepu.core import rollups
from kepu.core.errors import DomainError
from kepu.core.models import PrivacyNotice, Region, User
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people import services
from kepu.people.models import ExpertPool, Person, PoolMembership, Registration, Team
from kepu.people.stats import _counted_stats, _raw_stats, pool_stats, registry_count
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db

REGION_CODES = ["510104", "510104017", "5101", "510703", "510105", "51"]


def _random_calls(rng: random.Random, n: int) -> None:
    regions = list(Region.objects.filter(code__in=REGION_CODES))
    notice = PrivacyNotice.current()
    pools = list(ExpertPool.objects.all()[:3]) or [
        services.create_pool(actor=None, name="漂移专家库", kind="science", region=regions[0])
    ]
    teams = [
        services.create_team(actor=None, name=f"漂移服务队{i}", region=rng.choice(regions))
        for i in range(3)
    ]
    people = []
    serial = 0

    def new_person():
        nonlocal serial
        serial += 1
        person = services.create_person(
            actor=None,
            name=f"漂移{serial}",
            id_number=valid_id(f"51010419700101{serial:03d}"),
            region=rng.choice(regions),
            title_level=rng.choice(c.TitleLevel.values),
            discipline=rng.choice(["", *c.Discipline.values[:4]]),
        )
        people.append(person)
        return person

    for _ in range(4):
        new_person()
    for _step in range(n):
        action = rng.choice(
            ["create", "update", "erase", "register", "apply", "review", "pool", "avail", "team"]
        )
        live = [p for p in people if not Person.objects.get(pk=p.pk).is_erased]
        person = rng.choice(live) if live else new_person()
        if action == "create":
            new_person()
        elif action == "update":
            person = Person.objects.get(pk=person.pk)
            services.update_person(
                person,
                actor=None,
                region=rng.choice(regions),
                title_level=rng.choice(c.TitleLevel.values),
                discipline=rng.choice(["", *c.Discipline.values[:4]]),
            )
        elif action == "erase" and rng.random() < 0.5:
            services.erase_person(Person.objects.get(pk=person.pk), actor=None, reason="本人申请")
        elif action == "register":
            kind = rng.choice(c.RegistrationKind.values)
            if not person.registrations.filter(kind=kind, status__in=c.ACTIVE_STATUSES).exists():
                try:
                    services.add_registration(
                        person,
                        actor=None,
                        kind=kind,
                        region=rng.choice(regions),
                        status=rng.choice([c.RegistrationStatus.CERTIFIED, "pending"]),
                        start_date=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                    )
                except DomainError:  # a grid officer above a township, an envoy's unit
                    assert kind in (*c.KIND_MIN_LEVEL, *c.KINDS_WITH_UNIT)
        elif action == "apply":
            serial += 1
            services.self_register(
                kind=rng.choice([c.RegistrationKind.VOLUNTEER, c.RegistrationKind.EXPERT]),
                notice=notice,
                name=f"申请{serial}",
                doc_type="id",
                id_number=valid_id(f"51010419600101{serial:03d}"),
                phone="",
                email="",
                region=rng.choice([r for r in regions if r.level >= 3]),
            )
        elif action == "review":
            pending = Registration.objects.filter(status="pending").order_by("?").first()
            if pending is not None:
                if rng.random() < 0.6:
                    services.certify_registration(pending, actor=None)
                else:
                    services.reject_registration(pending, actor=None, reason="材料不全")
        elif action == "pool":
            pool = rng.choice(pools)
            if not PoolMembership.objects.filter(pool=pool, person=person).exists():
                services.add_pool_member(
                    pool, person, actor=None, topics=["earthquake"], available=rng.random() < 0.7
                )
        elif action == "avail":
            membership = PoolMembership.objects.order_by("?").first()
            if membership is not None:
                services.set_member_availability(
                    membership, actor=None, available=not membership.available
                )
        elif action == "team":
            team = rng.choice(teams)
            if person.team_memberships.count() < c.MAX_TEAMS_PER_PERSON and not (
                person.team_memberships.filter(team=team).exists()
            ):
                services.add_team_member(team, person, actor=None)


def test_the_counters_equal_the_rows_after_random_service_calls():
    for name in counters.METRICS:
        rollups.rebuild(name)
    _random_calls(random.Random(16), 60)
    for name in counters.METRICS:
        assert rollups.reconcile(name, fix=False) == [], name
    stored = dict(Team.objects.values_list("pk", "member_count"))
    counted = dict(Team.objects.annotate(n=Count("memberships")).values_list("pk", "n"))
    assert stored == counted


@pytest.mark.parametrize(
    ("code", "since"),
    [
        ("51", datetime.date(2024, 6, 1)),
        ("5101", datetime.date(2024, 6, 1)),
        ("5107", datetime.date(2024, 6, 1)),
        # A plan baseline falls mid-month: the first, partial month comes from the rows.
        ("51", datetime.date(2024, 6, 17)),
    ],
)
def test_statistics_from_the_counters_equal_the_rows(code, since):
    for name in counters.METRICS:
        rollups.rebuild(name)
    _random_calls(random.Random(int(code)), 30)
    province = User.objects.get(username="demo-province")
    focus = Region.objects.get(code=code)
    counted_rows, counted_total = _counted_stats(focus, since)
    raw_rows, raw_total = _raw_stats(province, focus, since)
    assert counted_rows == raw_rows
    assert counted_total == raw_total
    raw_pools = sorted(
        (r["pool__name"], r["n"], r["available"])
        for r in PoolMembership.objects.filter(
            person__region__path__startswith=focus.path, person__erased_at__isnull=True
        )
        .values("pool__name")
        .annotate(n=Count("pk"), available=Count("pk", filter=Q(available=True)))
    )
    from_counters = pool_stats(province, focus)
    assert sorted((r["pool__name"], r["n"], r["available"]) for r in from_counters) == raw_pools


def test_the_list_header_and_the_queue_count_come_from_the_counters(as_persona):
    for name in counters.METRICS:
        rollups.rebuild(name)
    user = User.objects.get(username="demo-county-a")
    expected = Person.objects.live().filter(region__path__startswith="51/5101/510104/").count()
    assert registry_count(user) == (expected, False)
    page = as_persona("county_a").get(reverse("people:person_list")).context["page"]
    assert page.paginator.count == expected
    queue = as_persona("county_a").get(reverse("people:registration_list")).context["page"]
    pending = Registration.objects.filter(
        status="pending", region__path__startswith="51/5101/510104/"
    ).count()
    assert queue.paginator.count == pending
