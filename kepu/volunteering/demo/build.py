"""The demo's teams, orders, hour ledger and certificates (see the package docstring)."""

from __future__ import annotations

import datetime
import decimal
import random
from collections import defaultdict

from django.utils import timezone

from kepu.core import audit, clock, pii
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import NoticePurpose, OrgType, RegionLevel
from kepu.core.models import Organization, PrivacyNotice, Region, User
from kepu.people import choices as pc
from kepu.people import services as people_services
from kepu.people.demo import GIVEN, SURNAMES
from kepu.people.models import Person, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.demo.data import (
    CATEGORY_DEPARTMENTS,
    CATEGORY_GROUPS,
    CATEGORY_WEIGHTS,
    CENTRES,
    COUNTY_A,
    COUNTY_B,
    COUNTY_TEAM_SPECIALTIES,
    DESCRIPTIONS,
    HISTORY_DAYS,
    HOUR,
    MANUAL_WORK,
    MEMBER_UNIT,
    PROVINCE,
    ROADS,
    SLOTS,
    STATUS_WEIGHTS,
    TEAMS,
    VENUES,
    A,
    K,
    S,
)
from kepu.volunteering.demo.replay import _Replay
from kepu.volunteering.models import Assignment, Certificate, HourEntry, OrderEvent, ServiceOrder


class _Demo:
    def __init__(self, rng: random.Random, size: int):
        self.rng = rng
        self.size = size
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.province = Region.objects.get(code=PROVINCE)
        regions = list(Region.objects.subtree(self.province))
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.counties = sorted(
            (r for r in regions if r.level == RegionLevel.COUNTY), key=lambda r: r.code
        )
        self.towns: dict[int, list] = defaultdict(list)
        for r in regions:
            if r.level == RegionLevel.TOWNSHIP:
                self.towns[r.parent_id].append(r)
        self.orgs = {
            o.name: o
            for o in Organization.objects.filter(
                region__path__startswith=self.province.path, is_active=True
            ).order_by("pk")
        }
        self.communities = {
            o.region_id: o for o in self.orgs.values() if o.org_type == OrgType.COMMUNITY
        }
        usernames = ["demo-county-a", "demo-county-b", "demo-city", "demo-province", "demo-member"]
        self.users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.notice = PrivacyNotice.current(NoticePurpose.ORDER)
        self.volunteers = list(
            Person.objects.filter(
                erased_at__isnull=True,
                registrations__kind=pc.RegistrationKind.VOLUNTEER,
                registrations__status=pc.RegistrationStatus.CERTIFIED,
            )
            .select_related("region", "user")
            .distinct()
            .order_by("pk")
        )
        self.demo_person = (
            Person.objects.select_related("region", "user")
            .filter(user__username="demo-volunteer")
            .first()
        )
        self.team_count: dict[int, int] = defaultdict(int)
        for person_id in TeamMembership.objects.values_list("person_id", flat=True):
            self.team_count[person_id] += 1
        # Each volunteer's booked periods (service windows with margins, hour entries).
        self.booked: dict[int, list] = defaultdict(list)
        for person_id, start, end in HourEntry.objects.live().values_list(
            "person_id", "started_at", "ended_at"
        ):
            self.booked[person_id].append((start, end))
        self.numbers = set(ServiceOrder.objects.values_list("number", flat=True))
        self.orders: list[ServiceOrder] = []

    # --- helpers -----------------------------------------------------------------------

    def hours(self, low: float, high: float) -> datetime.timedelta:
        return datetime.timedelta(hours=self.rng.uniform(low, high))

    def delay(self, step: str) -> datetime.timedelta:
        """How long a dispatch, claim or acceptance took: mostly hours, sometimes days,
        now and then past the deadline."""
        if step == "dispatch":
            low, middle, high = (0.3, 16), (16, 48), (60, 200)
        else:
            low, middle, high = (0.5, 16), (16, 60), (80, 180)
        r = self.rng.random()
        return self.hours(*(high if r < 0.06 else middle if r < 0.2 else low))

    def slot(self, day: datetime.date) -> datetime.datetime:
        hour, minute = self.rng.choice(SLOTS)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def local_day(self, moment: datetime.datetime) -> datetime.date:
        return timezone.localtime(moment).date()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _i in range(self.rng.choice((1, 2)))
        )

    def officer(self, region: Region):
        """The most local demo officer whose region holds `region`."""
        for code, username in (
            (COUNTY_A, "demo-county-a"),
            (COUNTY_B, "demo-county-b"),
            ("5101", "demo-city"),
        ):
            if region.path.startswith(self.by_code[code].path):
                return self.users.get(username)
        return self.users.get("demo-province")

    def is_free(self, person, start, end) -> bool:
        return all(end <= s or start >= e for s, e in self.booked[person.pk])

    def book(self, person, start, end) -> None:
        self.booked[person.pk].append((start, end))

    def county_of(self, region: Region) -> Region:
        return region if region.level <= RegionLevel.COUNTY else self.by_id[region.parent_id]

    def place_name(self, region: Region) -> str:
        return "".join(self.by_code[code].name for code in region.ancestor_codes[1:])

    # --- the run -----------------------------------------------------------------------

    def run(self) -> dict:
        teams = self.create_teams()
        if not self.teams:  # no certified volunteers to serve (the people demo is missing)
            return {"teams": len(teams), "orders": 0}
        self.plan_orders()
        entries = self.plan_manual_entries()
        certificates = self.issue_certificates()
        detail = {"via": "demo"}
        audit.bulk_record("people.team.created", teams, detail=detail)
        audit.bulk_record("people.teammembership.created", self.memberships, detail=detail)
        orders = [o.pk for o in self.orders]
        return {
            "teams": len(teams),
            "orders": len(self.orders),
            "order_steps": OrderEvent.objects.filter(order__in=orders).count(),
            "assignments": Assignment.objects.filter(order__in=orders).count(),
            "hour_entries": HourEntry.objects.filter(order__in=orders).count() + entries,
            "certificates": len(certificates),
        }

    # --- teams -------------------------------------------------------------------------

    def pick_members(self, pool, specialties: str, count: int, *, keep=()) -> list:
        words = specialties.split("、")
        fits = []
        for person in pool:
            if person in keep or self.team_count[person.pk] >= pc.MAX_TEAMS_PER_PERSON:
                continue
            score = sum(1 for w in words if w in (person.specialties or ""))
            fits.append((-score, self.rng.random(), person))
        fits.sort(key=lambda x: (x[0], x[1]))
        return [*keep, *(p for _s, _r, p in fits[: max(count - len(keep), 0)])]

    def create_teams(self) -> list:
        rng = self.rng
        plans = list(TEAMS)
        by_county: dict[str, list] = defaultdict(list)
        for person in self.volunteers:
            by_county[person.region.path.split("/")[2]].append(person)
        # County associations with enough volunteers run a team too.
        named = {code for _n, _o, _s, code, _c in TEAMS}
        ranked = sorted(
            (code for code in by_county if code not in named and len(by_county[code]) >= 6),
            key=lambda code: (-len(by_county[code]), code),
        )
        for code in ranked[:6]:
            county = self.by_code[code]
            org_name = f"{county.name}科学技术协会"
            specialties = "、".join(rng.sample(COUNTY_TEAM_SPECIALTIES, 3))
            plans.append((f"{county.name}科协科技志愿服务队", org_name, specialties, code, None))
        teams, self.memberships = [], []
        self.team_members: dict[int, list] = {}
        joined = self.now - datetime.timedelta(days=HISTORY_DAYS + 60)
        for name, org_name, specialties, code, coords in plans:
            org = self.orgs.get(org_name)
            region = self.by_code.get(code)
            if org is None or region is None:
                continue
            pool = [p for p in self.volunteers if p.region.path.startswith(region.path)]
            keep = ()
            if org_name == MEMBER_UNIT and self.demo_person is not None:
                keep = (self.demo_person,)
            members = self.pick_members(pool, specialties, rng.randint(10, 18), keep=keep)
            if len(members) < 3:
                continue
            team = Team(
                name=name,
                organization=org,
                region=region,
                specialties=specialties,
                leader=members[0],
                created_at=joined,
            )
            if coords:
                team.latitude = decimal.Decimal(f"{coords[0]:.6f}")
                team.longitude = decimal.Decimal(f"{coords[1]:.6f}")
            teams.append(team)
            self.team_members[id(team)] = members
            for person in members:
                self.team_count[person.pk] += 1
        Team.objects.bulk_create(teams)
        for team in teams:
            members = self.team_members.pop(id(team))
            self.team_members[team.pk] = members
            self.memberships += [
                TeamMembership(team=team, person=p, joined_at=joined.date()) for p in members
            ]
        TeamMembership.objects.bulk_create(self.memberships, batch_size=1000)
        people_services.refresh_member_counts([t.pk for t in teams])
        # The county teams of the people demo (without organization) take orders too.
        existing = list(
            Team.objects.filter(organization__isnull=True, region__path__startswith="51/")
            .exclude(pk__in=[t.pk for t in teams])
            .select_related("region", "leader")
        )
        members_of: dict[int, list] = defaultdict(list)
        for m in TeamMembership.objects.filter(team__in=existing).select_related(
            "person", "person__user"
        ):
            members_of[m.team_id].append(m.person)
        for team in existing:
            if members_of[team.pk]:
                self.team_members[team.pk] = members_of[team.pk]
        self.teams = [t for t in (*teams, *existing) if t.pk in self.team_members]
        for team in self.teams:
            team.region = self.by_id.get(team.region_id, team.region)
        self.dept_team = {t.organization_id: t for t in teams}
        self.edu_team = next((t for t in teams if t.organization.name == MEMBER_UNIT), None)
        return teams

    def covering(self, region: Region) -> list:
        return [t for t in self.teams if region.path.startswith(t.region.path)]

    # --- orders ------------------------------------------------------------------------

    def random_region(self) -> Region:
        weights = [
            12
            if r.code == COUNTY_A
            else 8
            if r.code == COUNTY_B
            else 3
            if r.code.startswith("5101")
            else 2
            if r.code[:4] in ("5106", "5107")
            else 1
            for r in self.counties
        ]
        county = self.rng.choices(self.counties, weights=weights)[0]
        towns = self.towns.get(county.pk)
        if towns and self.rng.random() < 0.85:
            return self.rng.choice(towns)
        return county

    def random_category(self, region: Region) -> str:
        rural = self.county_of(region).name.endswith("县")
        weights = {
            k: w * (2 if rural else 0.4) if k == K.AGRICULTURE else w
            for k, w in CATEGORY_WEIGHTS.items()
        }
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def route(self, category, region, *, department=None, team=None, need_department=False):
        """(department or None, team) covering the order's region."""
        if team is not None:
            return None, team
        if department is not None and department.pk in self.dept_team:
            return department, self.dept_team[department.pk]
        candidates = []
        for name in CATEGORY_DEPARTMENTS[category]:
            if name == "county":
                name = f"{self.county_of(region).name}科学技术协会"
            org = self.orgs.get(name)
            holder = self.dept_team.get(org.pk) if org else None
            if holder is not None and region.path.startswith(holder.region.path):
                candidates.append(org)
        if need_department and not candidates:
            candidates = [
                self.orgs[n]
                for n in (MEMBER_UNIT, "四川省卫生健康委员会", "四川省应急管理厅")
                if n in self.orgs and self.orgs[n].pk in self.dept_team
            ]
        if candidates and (need_department or self.rng.random() < 0.55):
            org = self.rng.choice(candidates)
            return org, self.dept_team[org.pk]
        teams = self.covering(region)
        local = [t for t in teams if t.region.level >= RegionLevel.COUNTY]
        if local and self.rng.random() < 0.6:
            return None, self.rng.choice(local)
        return None, self.rng.choice(teams)

    def other_team(self, region, not_this):
        teams = [t for t in self.covering(region) if t.pk != not_this.pk]
        return self.rng.choice(teams) if teams else None

    def new_order(self, region, category, submitted_at) -> dict:
        rng = self.rng
        group = rng.choice(CATEGORY_GROUPS[category])
        county = self.county_of(region)
        venue = rng.choice(VENUES[group])
        if group == G.YOUTH and not venue.startswith("青少年"):
            venue = f"{county.name}{venue}"
        address = f"{self.place_name(region)}{rng.choice(ROADS)}{rng.randint(1, 300)}号{venue}"
        community = self.communities.get(region.pk)
        if community is not None and rng.random() < 0.5:
            kind = c.RequesterKind.COMMUNITY
        else:
            kind, community = c.RequesterKind.CITIZEN, None
        phone = pii.normalize_phone(f"1{rng.choice('3578')}{rng.randrange(10**9):09d}")
        while True:
            tail = "".join(rng.choice(services.NUMBER_ALPHABET) for _i in range(6))
            number = f"{self.local_day(submitted_at):%Y%m%d}{tail}"
            if number not in self.numbers:
                self.numbers.add(number)
                break
        attendees = {
            G.YOUTH: (30, 200),
            G.ELDERLY: (15, 60),
            G.FARMERS: (20, 80),
            G.WORKERS: (20, 100),
        }.get(group, (20, 150))
        fields = {
            "number": number,
            "name": self.name(),
            "phone": phone,
            "organization": community,
            "notice": self.notice if kind == c.RequesterKind.CITIZEN else None,
            "category": category,
            "key_group": group,
            "region": region,
            "address": address,
            "expected_attendees": rng.randint(*attendees),
            "description": rng.choice(DESCRIPTIONS[category]),
        }
        prefecture = region.path.split("/")[1]
        if prefecture in CENTRES and rng.random() < 0.4:
            lat, lng = CENTRES[prefecture]
            spread = 0.1 if prefecture == "5101" else 0.3
            fields["latitude"] = decimal.Decimal(f"{lat + rng.uniform(-spread, spread):.6f}")
            fields["longitude"] = decimal.Decimal(f"{lng + rng.uniform(-spread, spread):.6f}")
        return fields

    def plan_orders(self) -> None:
        """Every status first (and what the demo personas need), then by weight."""
        count = max(self.size // 3, 30)
        a, b = self.by_code.get(COUNTY_A), self.by_code.get(COUNTY_B)
        edu = self.orgs.get(MEMBER_UNIT)
        me = self.demo_person if self.edu_team is not None else None
        specials = [
            dict(target=S.SUBMITTED, county=a, overdue=True),
            dict(target=S.SUBMITTED, county=b, overdue=True),
            dict(target=S.SUBMITTED, county=a),
            dict(target=S.SUBMITTED, county=b),
            dict(target=S.DISPATCHED, department=edu, category=K.YOUTH_SCIENCE),
            dict(target=S.DISPATCHED, department=edu, category=K.EMERGENCY, overdue=True),
            dict(target=S.AWAITING_TEAM, team=self.edu_team, category=K.YOUTH_SCIENCE, county=a),
            dict(target=S.AWAITING_TEAM, county=b, overdue=True),
            dict(target=S.ACCEPTED, team=self.edu_team, person=me, category=K.YOUTH_SCIENCE),
            dict(target=S.ACCEPTED, county=b),
            dict(target=S.IN_SERVICE, county=a),
            dict(target=S.SERVED, team=self.edu_team, person=me, county=a),
            dict(target=S.SERVED, county=b),
            dict(target=S.REJECTED, county=a),
            dict(target=S.CANCELLED, county=b),
            dict(target=S.CLOSED, team=self.edu_team, person=me),
            dict(target=S.CLOSED, team=self.edu_team, person=me, county=a),
            dict(target=S.CLOSED, county=a, officer_close=True),
            dict(target=S.CLOSED, county=b),
        ]
        for spec in specials:
            if len(self.orders) >= count:
                break
            self.plan(**spec)
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        attempts = 0
        while len(self.orders) < count and attempts < count * 3:
            attempts += 1
            target = self.rng.choices(statuses, weights=weights)[0]
            waiting = target in (S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM)
            self.plan(target=target, overdue=waiting and self.rng.random() < 0.25)

    def plan(
        self,
        *,
        target,
        county=None,
        category=None,
        department=None,
        team=None,
        person=None,
        overdue=False,
        officer_close=None,
    ) -> None:
        """One order that is in `target` now: its steps are laid out around an anchor
        time (the last step before now, or the service window), then replayed."""
        rng, now = self.rng, self.now
        if county is not None:
            towns = self.towns.get(county.pk)
            region = rng.choice(towns) if towns else county
        else:
            region = self.random_region()
        if team is not None and not region.path.startswith(team.region.path):
            region = self.random_region()
        category = category or self.random_category(region)
        on_service_path = target not in (S.REJECTED, S.CANCELLED)
        need_department = target == S.DISPATCHED
        department, holder = self.route(
            category, region, department=department, team=team, need_department=need_department
        )
        # The steps before acceptance: (step, delay before it, arguments).
        steps = []

        late = self.delay
        loop = on_service_path and target != S.SUBMITTED and rng.random() < 0.08
        if target == S.SUBMITTED and rng.random() < 0.15 and department is not None:
            # Dispatched, given back by the department: waiting for a new dispatch.
            steps += [
                ("dispatch", late("dispatch"), {"department": department}),
                ("return_department", self.hours(2, 30), {"department": department}),
            ]
        elif target != S.SUBMITTED:
            if department is not None:
                steps.append(("dispatch", late("dispatch"), {"department": department}))
                if loop and target not in (S.DISPATCHED,):
                    other = self.other_team(region, holder)
                    if other is not None:
                        steps += [
                            ("return_department", self.hours(2, 30), {"department": department}),
                            ("dispatch", late("dispatch"), {"team": other}),
                        ]
                        department, holder = None, other
                if department is not None and target != S.DISPATCHED:
                    steps.append(("claim", late("claim"), {"team": holder}))
            else:
                steps.append(("dispatch", late("dispatch"), {"team": holder}))
                if loop:
                    other = self.other_team(region, holder)
                    if other is not None:
                        steps += [
                            ("return_team", self.hours(2, 30), {"team": holder}),
                            ("dispatch", late("dispatch"), {"team": other}),
                        ]
                        holder = other
        reaches_accept = target in (S.ACCEPTED, S.IN_SERVICE, S.SERVED, S.CLOSED)
        accept_delay = late("accept")
        lead = self.hours(24, 24 * 12)

        ending = None  # (step, time) of a rejection or cancellation
        if target in (S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM):
            waited = self.hours(96, 260) if overdue else self.hours(0.3, 40)
            anchor = now - waited
            submitted = anchor - sum((d for _s, d, _a in steps), datetime.timedelta())
            start_day = self.local_day(now + self.hours(24, 24 * 14))
            window_start = self.slot(start_day)
        elif target == S.ACCEPTED:
            accepted = now - self.hours(1, 24 * 6)
            submitted = (
                accepted - accept_delay - sum((d for _s, d, _a in steps), datetime.timedelta())
            )
            day = self.local_day(max(now, accepted) + self.hours(24, 24 * 12))
            window_start = self.slot(day)
        elif target == S.IN_SERVICE:
            window_start = (now - self.hours(0.6, 2.2)).replace(second=0, microsecond=0)
            submitted = (
                window_start
                - lead
                - accept_delay
                - sum((d for _s, d, _a in steps), datetime.timedelta())
            )
        elif target == S.SERVED:
            window_start = self.slot(self.local_day(now - self.hours(30, 24 * 9)))
            submitted = (
                window_start
                - lead
                - accept_delay
                - sum((d for _s, d, _a in steps), datetime.timedelta())
            )
        elif target == S.CLOSED:
            if officer_close is None:
                officer_close = rng.random() < 0.25
            low = 30 if officer_close else 12
            window_start = self.slot(self.local_day(now - self.hours(24 * low, 24 * 290)))
            submitted = (
                window_start
                - lead
                - accept_delay
                - sum((d for _s, d, _a in steps), datetime.timedelta())
            )
        else:  # rejected or cancelled, some time in the last ten months
            submitted = now - self.hours(30, 24 * HISTORY_DAYS)
            stage = rng.random()
            if target == S.REJECTED:
                keep = 0 if stage < 0.7 else 1
            else:
                keep = 0 if stage < 0.5 else 1 if stage < 0.7 else 2
            if target == S.CANCELLED and stage >= 0.85:
                reaches_accept = True
            steps = steps[:keep] if keep else []
            before_end = submitted + sum((d for _s, d, _a in steps), datetime.timedelta())
            if reaches_accept:
                before_end += accept_delay
            ending = (
                A.REJECT if target == S.REJECTED else A.CANCEL,
                before_end + self.hours(1, 60),
            )
            window_start = self.slot(self.local_day(ending[1] + self.hours(24, 24 * 10)))
            if ending[1] >= now:
                return
        window_end = window_start + datetime.timedelta(minutes=rng.choice((90, 120, 150, 180)))
        if submitted < now - datetime.timedelta(days=HISTORY_DAYS + 20):
            return
        times, moment = [], submitted
        for _step, delay, _args in steps:
            moment += delay
            times.append(moment)
        accepted_at = moment + accept_delay if reaches_accept else None
        if accepted_at is not None and accepted_at >= window_start - HOUR:
            accepted_at = window_start - self.hours(2, 20)
            if times and accepted_at <= times[-1]:
                return
        if ending is None and times and times[-1] >= window_start:
            return
        if ending is not None and ending[1] >= window_start:
            return

        # Volunteers, booked for the window (never two services at once).
        volunteers = []
        if accepted_at is not None and accepted_at <= now:
            members = self.team_members[holder.pk]
            margin = (window_start - HOUR, window_end + HOUR)
            free = [p for p in members if self.is_free(p, *margin)]
            rng.shuffle(free)
            wanted = min(len(free), rng.choice((1, 2, 2, 3, 3, 4)))
            volunteers = free[:wanted]
            if person is not None and person in free and person not in volunteers:
                volunteers = [person, *volunteers[: max(wanted - 1, 0)]]
            if not volunteers:
                return
            for p in volunteers:
                self.book(p, *margin)

        fields = self.new_order(region, category, submitted)
        fields.update(window_start=window_start, window_end=window_end)
        replay = _Replay(self, fields, submitted)
        for (step, _delay, args), at in zip(steps, times, strict=True):
            if at > now:
                break
            replay.run(step, at, **args)
        if ending is not None:
            if accepted_at is not None:
                replay.run("accept", accepted_at, volunteers=volunteers)
            replay.run(ending[0], ending[1])
        elif accepted_at is not None and accepted_at <= now:
            replay.run("accept", accepted_at, volunteers=volunteers)
            self.serve(replay, target, officer_close)
        replay.escalate_until(now)
        self.orders.append(replay.order)

    def serve(self, replay, target, officer_close) -> None:
        """Check-ins and check-outs in the window, completion, rating or closing — as far
        as they have happened by now."""
        rng, now, order = self.rng, self.now, replay.order
        start, end = order.window_start, order.window_end
        visits = []
        for i, assignment in enumerate(replay.assignments):
            if i > 0 and rng.random() < 0.08:
                continue  # did not come
            arrive = start + datetime.timedelta(minutes=rng.randint(-25, 10))
            leave = end + datetime.timedelta(minutes=rng.randint(-20, 25))
            if rng.random() < 0.1:
                leave = arrive + datetime.timedelta(minutes=rng.randint(40, 80))
            visits.append((arrive, leave, assignment))
        for arrive, _leave, assignment in sorted(visits, key=lambda v: v[0]):
            if arrive <= now:
                replay.run("check_in", arrive, assignment=assignment)
        for _arrive, leave, assignment in sorted(visits, key=lambda v: v[1]):
            if assignment.checked_in_at and leave <= now:
                replay.run("check_out", leave, assignment=assignment)
        last = max((v[1] for v in visits), default=end)
        if target == S.IN_SERVICE or not any(a.checked_out_at for a in replay.assignments):
            return
        if any(a.checked_in_at and not a.checked_out_at for a in replay.assignments):
            return
        served = last + self.hours(0.2, 20)
        if served > now:
            served = now - self.hours(0.1, 0.5)
            if served <= last:
                return
        replay.run("complete", served)
        if target == S.SERVED:
            return
        if officer_close:
            closed = served + self.hours(24 * 7, 24 * 20)
            if closed <= now:
                replay.run("close", closed)
        else:
            rated = served + self.hours(1, 24 * 5)
            if rated <= now:
                replay.run("rate", rated)

    # --- the hour ledger and certificates ------------------------------------------------

    def plan_manual_entries(self) -> int:
        """Hours recorded by hand (by the team leader, or the officer for a leader without
        an account): a few approved by the officer long ago, a few waiting for the team
        leader (some in the demo volunteer's team, never his own)."""
        rng, now = self.rng, self.now
        count = max(3, self.size // 100)
        edu_members = []
        if self.edu_team is not None:
            edu_members = [p for p in self.team_members[self.edu_team.pk] if p != self.demo_person]
        pairs = [(self.edu_team, p) for p in edu_members[:3]]
        others = [(t, p) for t in self.teams for p in self.team_members[t.pk]]
        pairs += rng.sample(others, min(len(others), count * 2))
        created_count = 0
        for i, (team, person) in enumerate(pairs):
            pending = i < 3 or i % 2 == 0
            for _try in range(10):
                day = self.local_day(now - self.hours(24 * 3, 24 * (40 if pending else 200)))
                start = self.slot(day)
                end = start + datetime.timedelta(minutes=rng.choice((90, 120, 180, 240)))
                if end < now and self.is_free(person, start - HOUR, end + HOUR):
                    break
            else:
                continue
            self.book(person, start - HOUR, end + HOUR)
            created = min(now - HOUR, end + self.hours(2, 24 * 6))
            leader = team.leader.user if team.leader_id and team.leader.user_id else None
            with clock.frozen(created):
                entry = services.add_manual_entry(
                    actor=leader or self.officer(team.region),
                    person=person,
                    team=team,
                    started_at=start,
                    ended_at=end,
                    description=rng.choice(MANUAL_WORK),
                )
            created_count += 1
            if not pending:
                decided = min(now - HOUR, created + self.hours(2, 24 * 3))
                with clock.frozen(max(decided, created)):
                    services.decide_entry(entry, actor=self.officer(team.region), approve=True)
        return created_count

    def issue_certificates(self) -> list:
        """Certificates for the volunteers with the most approved hours with one team
        (and the demo volunteer), issued by the officer after the period they cover."""
        rng, now = self.rng, self.now
        approved = defaultdict(list)
        for entry in (
            HourEntry.objects.approved()
            .filter(team__in=[t.pk for t in self.teams])
            .select_related("person", "team", "team__region")
            .order_by("started_at", "pk")
        ):
            approved[(entry.team_id, entry.person_id)].append(entry)
        ranked = sorted(approved, key=lambda k: (-len(approved[k]), k))
        count = max(3, self.size // 300)
        chosen = ranked[:count]
        if self.demo_person is not None and self.edu_team is not None:
            mine = (self.edu_team.pk, self.demo_person.pk)
            if mine in approved and mine not in chosen:
                chosen.append(mine)
        certificates, numbers = [], set(Certificate.objects.values_list("number", flat=True))
        for key in chosen:
            entries = approved[key]
            period_start = self.local_day(entries[0].started_at).replace(day=1)
            period_end = self.local_day(entries[-1].started_at)
            issued = min(now - self.hours(0.5, 3), entries[-1].ended_at + self.hours(24, 24 * 10))
            # After the last of them was approved (the certificate counts approved hours).
            issued = max(issued, max(e.decided_at for e in entries) + datetime.timedelta(minutes=1))
            while True:
                tail = "".join(rng.choice(services.NUMBER_ALPHABET) for _i in range(10))
                number = f"ZYZM{self.local_day(issued):%Y}{tail}"
                if number not in numbers:
                    numbers.add(number)
                    break
            team, person = entries[0].team, entries[0].person
            with clock.frozen(issued):
                certificate = services.issue_certificate(
                    actor=self.officer(team.region),
                    person=person,
                    team=team,
                    period_start=period_start,
                    period_end=period_end,
                )
            # The seeded number (the service draws a random one): the same demo each time.
            Certificate.objects.filter(pk=certificate.pk).update(number=number)
            certificate.number = number
            certificates.append(certificate)
        return certificates
