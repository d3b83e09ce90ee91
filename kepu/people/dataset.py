"""The registry at benchmark scale (see `kepu.core.dataset`): 300k people with encrypted
ID and phone numbers, their registrations (mostly volunteers), the expert pools' members
and 5k service teams.

Leaves on the dataset, for the apps that follow: `ds.volunteers` (person id, region id) of
certified volunteers, `ds.teams` (team id, county region id, member ids), `ds.experts`
(person ids in a pool) and `ds.orgs_by_county` (county code → organization ids).
"""

from __future__ import annotations

import datetime

from kepu.core import crypto, pii
from kepu.core.choices import Topic
from kepu.core.dataset import Dataset
from kepu.core.models import Organization
from kepu.core.search import search_text
from kepu.people import choices as c
from kepu.people.demo import GIVEN, LANGUAGES, POOLS, SPECIALTIES, SURNAMES, TITLES
from kepu.people.models import (
    ExpertPool,
    MembershipTopic,
    Person,
    PoolMembership,
    Registration,
    Team,
    TeamMembership,
)

KINDS = [
    (c.RegistrationKind.VOLUNTEER, 78),
    (c.RegistrationKind.PART_TIME, 8),
    (c.RegistrationKind.FULL_TIME, 2),
    (c.RegistrationKind.INFO_OFFICER, 5),
    (c.RegistrationKind.EXPERT, 7),
]
TEAM_KINDS = [
    "科技志愿服务队",
    "应急科普志愿服务队",
    "科普讲师团",
    "青年科技志愿服务队",
    "农技志愿服务队",
]


def generate(ds: Dataset) -> None:
    ds.orgs_by_county = {}
    for pk, path in (
        Organization.objects.filter(region__path__startswith=f"{ds.province.code}/")
        .order_by("pk")
        .values_list("pk", "region__path")
    ):
        parts = path.split("/")
        if len(parts) > 2:
            ds.orgs_by_county.setdefault(parts[2], []).append(pk)
    people = ds.step("people (encrypted PI)", lambda: _people(ds))
    ds.step("registrations", lambda: _registrations(ds, people))
    ds.step("expert pool members", lambda: _pools(ds))
    ds.step("teams and members", lambda: _teams(ds))
    from kepu.people.dataset_training import generate_training

    ds.step("training (courses to enrolments)", lambda: generate_training(ds))
    generate_team_structure(ds)
    from kepu.people import dataset_officers

    dataset_officers.generate(ds, people)
    _talent_steps(ds)


def _id_number(ds: Dataset, county_code: str, serial: int) -> str:
    born = datetime.date(1955, 1, 1) + datetime.timedelta(days=ds.rng.randrange(0, 365 * 50))
    # The serial keeps numbers unique: 3 digits per birth day and county are not enough.
    body = f"{county_code}{born:%Y%m%d}{serial % 1000:03d}"
    return body + pii.id_check_char(body)


def _people(ds: Dataset) -> list[tuple]:
    n = ds.size("people")
    ids = ds.ids(Person, n)
    org_names = dict(Organization.objects.values_list("pk", "name"))
    used: set[str] = set(Person.objects.values_list("id_hash", flat=True))
    educations, disciplines = c.Education.values, c.Discipline.values  # not per row: slow
    rows, people = [], []
    for pk in ids:
        region = ds.place()
        county = ds.county_of(region) or region.code
        name = ds.rng.choice(SURNAMES) + "".join(
            ds.rng.choice(GIVEN) for _ in range(ds.rng.choice((1, 2, 2)))
        )
        number = _id_number(ds, county, pk)
        id_hash = crypto.blind_index(number)
        while id_hash in used:
            number = _id_number(ds, county, pk)
            id_hash = crypto.blind_index(number)
        used.add(id_hash)
        phone = f"1{ds.rng.choice('3456789')}{ds.rng.randrange(0, 10**9):09d}"
        level, title = ds.rng.choice(TITLES)
        specialties = "、".join(ds.rng.sample(SPECIALTIES, ds.rng.choice((1, 2, 3))))
        orgs = ds.orgs_by_county.get(county)
        org = ds.rng.choice(orgs) if orgs and ds.rng.random() < 0.5 else None
        rows.append(
            {
                "id": pk,
                "name": name,
                "gender": pii.gender_from_id(number),
                "birth_date": pii.birth_date_from_id(number),
                "doc_type": c.DocType.RESIDENT_ID,
                "id_number_enc": crypto.seal(number),
                "id_hash": id_hash,
                "id_masked": pii.mask_id(number),
                "phone_enc": crypto.seal(phone),
                "phone_hash": crypto.blind_index(phone),
                "phone_masked": pii.mask_phone(phone),
                "region_id": region.pk,
                "organization_id": org,
                "education": ds.rng.choice(educations),
                "title_level": level,
                "title": title,
                "discipline": ds.rng.choice(disciplines),
                "specialties": specialties,
                "languages": ds.rng.choice(LANGUAGES),
                "search_text": search_text(name, specialties, title, org_names.get(org, "")),
                "created_at": ds.moment(1500),
            }
        )
        people.append((pk, region, org))
    ds.insert(Person, rows)
    return people


def _registrations(ds: Dataset, people: list[tuple]) -> int:
    kinds = [k for k, _w in KINDS]
    weights = [w for _k, w in KINDS]
    ids = iter(ds.ids(Registration, len(people)))
    ds.volunteers, ds.experts = [], []
    rows = []
    for pk, region, org in people:
        kind = ds.rng.choices(kinds, weights=weights)[0]
        roll = ds.rng.random()
        status = (
            c.RegistrationStatus.PENDING
            if roll < 0.04
            else c.RegistrationStatus.ENDED
            if roll < 0.07
            else c.RegistrationStatus.CERTIFIED
        )
        applied = ds.moment(1400)
        rows.append(
            {
                "id": next(ids),
                "person_id": pk,
                "kind": kind,
                "status": status,
                "source": c.Source.SELF
                if status == c.RegistrationStatus.PENDING
                else ds.rng.choice((c.Source.OFFICER, c.Source.IMPORT, c.Source.SELF)),
                "region_id": region.pk,
                "organization_id": org,
                "start_date": applied.date(),
                "end_date": ds.today if status == c.RegistrationStatus.ENDED else None,
                "applied_at": applied,
                "reviewed_at": None if status == c.RegistrationStatus.PENDING else applied,
            }
        )
        if status == c.RegistrationStatus.CERTIFIED:
            if kind == c.RegistrationKind.VOLUNTEER:
                ds.volunteers.append((pk, region))
            elif kind == c.RegistrationKind.EXPERT:
                ds.experts.append((pk, region))
    return ds.insert(Registration, rows)


def _pools(ds: Dataset) -> int:
    pools = list(ExpertPool.objects.filter(name__in=[p[0] for p in POOLS]).select_related("region"))
    for name, kind, code in POOLS:
        if not any(p.name == name for p in pools):
            pools.append(
                ExpertPool.objects.create(name=name, kind=kind, region_id=_region(ds, code))
            )
    start = datetime.date(ds.today.year - 2, 1, 1)
    topics_all = Topic.values
    memberships, topics = [], []
    ids = iter(ds.ids(PoolMembership, 2 * len(ds.experts)))
    topic_ids = iter(ds.ids(MembershipTopic, 6 * len(ds.experts)))
    for pk, region in ds.experts:
        for pool in ds.rng.sample(pools, ds.rng.choice((1, 1, 2))):
            if pool.region.code != ds.province.code and not region.path.startswith(
                pool.region.path
            ):
                continue
            membership = next(ids)
            memberships.append(
                {
                    "id": membership,
                    "pool_id": pool.pk,
                    "person_id": pk,
                    "available": ds.rng.random() < 0.85,
                    "term_start": start,
                    "term_end": start.replace(year=start.year + 5),
                }
            )
            for topic in ds.rng.sample(topics_all, ds.rng.choice((1, 2, 3))):
                topics.append({"id": next(topic_ids), "membership_id": membership, "topic": topic})
    ds.experts = [pk for pk, _region in ds.experts]
    return ds.insert(PoolMembership, memberships) + ds.insert(MembershipTopic, topics)


def _region(ds: Dataset, code: str) -> int:
    from kepu.core.models import Region

    return Region.objects.get(code=code).pk


def _teams(ds: Dataset) -> int:
    by_county: dict[int, list[int]] = {}
    for pk, region in ds.volunteers:
        county = region if region.level == 3 else None
        by_county.setdefault(county.pk if county else region.parent_id, []).append(pk)
    counties = {r.pk: r for r in ds.counties}
    n = ds.size("teams")
    ids = ds.ids(Team, n)
    member_ids = iter(ds.ids(TeamMembership, n * 40))
    weights = [len(by_county.get(r.pk, ())) for r in ds.counties]
    teams, members = [], []
    ds.teams = []
    seen: set[str] = set()
    teams_of: dict[int, int] = {}  # person → teams joined (at most MAX_TEAMS_PER_PERSON)
    for pk in ids:
        county = ds.rng.choices(ds.counties, weights=weights)[0]
        pool = by_county.get(county.pk) or [ds.volunteers[0][0]]
        size = ds.rng.randint(6, 40)
        drawn = ds.rng.sample(pool, min(len(pool), size + 10))
        crew = [p for p in drawn if teams_of.get(p, 0) < c.MAX_TEAMS_PER_PERSON][:size]
        if not crew:  # the county's volunteers are all in five teams: anyone still free
            free = [p for p, _r in ds.volunteers if teams_of.get(p, 0) < c.MAX_TEAMS_PER_PERSON]
            crew = [ds.rng.choice(free)]
        for person in crew:
            teams_of[person] = teams_of.get(person, 0) + 1
        name = f"{county.name}{ds.rng.choice(TEAM_KINDS)}"
        serial = 1
        while name in seen:
            serial += 1
            name = f"{county.name}{ds.rng.choice(TEAM_KINDS)}第{serial}分队"
        seen.add(name)
        orgs = ds.orgs_by_county.get(county.code)
        teams.append(
            {
                "id": pk,
                "name": name,
                "region_id": county.pk,
                "organization_id": ds.rng.choice(orgs) if orgs else None,
                "specialties": "、".join(ds.rng.sample(SPECIALTIES, 2)),
                "leader_id": crew[0],
                "created_at": ds.moment(1200),
                "member_count": len(crew),
            }
        )
        for person in crew:
            members.append(
                {
                    "id": next(member_ids),
                    "team_id": pk,
                    "person_id": person,
                    "joined_at": ds.moment(1000).date(),
                }
            )
        ds.teams.append((pk, counties[county.pk], crew))
    return ds.insert(Team, teams) + ds.insert(TeamMembership, members)


# --- teams, second pass (issue 26) ----------------------------------------------------------


def generate_team_structure(ds: Dataset) -> None:
    """Certification states, city corps with sub-teams, honours and designated service
    groups over the teams of `_teams` (run after it)."""
    ds.step("team certification and corps", lambda: _team_structure(ds))
    ds.step("team honours", lambda: _team_honours(ds))
    ds.step("designated service groups", lambda: _service_groups(ds))


def _team_structure(ds: Dataset) -> int:
    from django.db.models import F

    cities = {r.pk: r for r in ds.cities}
    county_city = {r.pk: r.parent_id for r in ds.counties}
    corps_ids = ds.ids(Team, len(cities))
    corps = []
    corps_of = {}
    for pk, city in zip(corps_ids, cities.values(), strict=True):
        corps.append(
            {
                "id": pk,
                "name": f"{city.name}科技志愿服务总队",
                "region_id": city.pk,
                "specialties": "综合科普",
                "created_at": ds.moment(1500),
                "certified_at": ds.moment(1400),
                "status": c.TeamStatus.ACTIVE,
            }
        )
        corps_of[city.pk] = pk
    n = ds.insert(Team, corps)
    # Every team certified at its creation, then some states by a fixed share (pk-based,
    # so reruns give the same rows): 4% pending, 3% suspended, 1% dissolved; a third of
    # the county teams are sub-teams of their city's corps.
    Team.objects.filter(pk__in=[t[0] for t in ds.teams]).update(certified_at=F("created_at"))
    states = {
        c.TeamStatus.PENDING: ([], ""),
        c.TeamStatus.SUSPENDED: ([], "连续一年未开展志愿服务活动"),
        c.TeamStatus.DISSOLVED: ([], "依托单位撤并"),
    }
    children: dict[int, list[int]] = {}
    for pk, county, _crew in ds.teams:
        share = pk % 100
        if share < 4:
            states[c.TeamStatus.PENDING][0].append(pk)
        elif share < 7:
            states[c.TeamStatus.SUSPENDED][0].append(pk)
        elif share < 8:
            states[c.TeamStatus.DISSOLVED][0].append(pk)
        city = county_city.get(county.pk)
        if pk % 3 == 0 and city in corps_of and share >= 8:
            children.setdefault(corps_of[city], []).append(pk)
    for status, (ids, reason) in states.items():
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            fields = {"status": status, "status_reason": reason}
            if status == c.TeamStatus.PENDING:
                fields["certified_at"] = None
            Team.objects.filter(pk__in=chunk).update(**fields)
    for parent, ids in children.items():
        for start in range(0, len(ids), 5000):
            Team.objects.filter(pk__in=ids[start : start + 5000]).update(parent_id=parent)
        Team.objects.filter(pk=parent).update(sub_team_count=len(ids))
    return n + sum(len(v) for v in children.values())


def _team_honours(ds: Dataset) -> int:
    from kepu.people.models import TeamHonour

    candidates = [pk for pk, _county, _crew in ds.teams if pk % 100 >= 8]
    chosen = ds.rng.sample(candidates, min(len(candidates), max(1, len(ds.teams) // 5)))
    ids = ds.ids(TeamHonour, len(chosen))
    rows = [
        {
            "id": pk,
            "team_id": team,
            "honour": ds.rng.choice(c.TeamHonourKind.values),
            "year": ds.today.year - ds.rng.randint(0, 4),
            "awarded_by": ds.rng.choice(["四川省科学技术协会", "四川省科学技术厅"]),
        }
        for pk, team in zip(ids, sorted(chosen), strict=True)
    ]
    return ds.insert(TeamHonour, rows)


def _service_groups(ds: Dataset) -> int:
    from kepu.people.models import ServiceGroup, ServiceGroupCounty

    n = max(1, len(ds.teams) // 10)
    active = [(pk, county) for pk, county, _crew in ds.teams if pk % 100 >= 8]
    ids = ds.ids(ServiceGroup, n)
    link_ids = iter(ds.ids(ServiceGroupCounty, n * 3))
    groups, links = [], []
    for pk in ids:
        lead, county = ds.rng.choice(active)
        start = ds.today.replace(month=1, day=1) - datetime.timedelta(
            days=365 * ds.rng.randint(0, 3)
        )
        city = county.parent_id
        groups.append(
            {
                "id": pk,
                "name": f"{county.name}乡村振兴科技服务团{pk}",
                "region_id": city,
                "lead_team_id": lead,
                "period_start": start,
                "period_end": start.replace(year=start.year + 2, month=12, day=31),
                "created_at": ds.moment(1000),
            }
        )
        served = {county.pk}
        siblings = [r.pk for r in ds.counties if r.parent_id == city]
        served.update(ds.rng.sample(siblings, min(len(siblings), ds.rng.randint(0, 2))))
        for region in sorted(served):
            links.append({"id": next(link_ids), "group_id": pk, "county_id": region})
    return ds.insert(ServiceGroup, groups) + ds.insert(ServiceGroupCounty, links)


def _talent_steps(ds: Dataset) -> None:
    """Talent evaluation and the high-level talent service (their own module)."""
    from kepu.people.talents import dataset as talents

    talents.generate(ds)
