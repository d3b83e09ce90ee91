"""The volunteer service dataset generator: teams, the booking calendar and the orders."""

from __future__ import annotations

import bisect
import datetime
import decimal

from django.conf import settings
from django.utils.translation import gettext as _

from kepu.core import crypto, pii, workdays
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import NoticePurpose, OrgType, RegionLevel
from kepu.core.dataset import Dataset, new_uuid
from kepu.core.models import Organization, PrivacyNotice, User
from kepu.people.demo import GIVEN, SURNAMES
from kepu.people.models import Person, Team
from kepu.volunteering import choices as c
from kepu.volunteering.dataset.common import (
    AHEAD_DAYS,
    ATTENDEES,
    BASE_DAYS,
    CHUNK,
    CREW_SIZES,
    CREW_WEIGHTS,
    HALF,
    HISTORY_DAYS,
    SERVICE,
    SHIFTS,
    SLOTS_BY_HALF,
    WAITING,
    WINDOW_MINUTES,
    A,
    K,
    S,
    _cumulative,
    _Team,
)
from kepu.volunteering.dataset.ledger import _Ledger
from kepu.volunteering.dataset.steps import _Steps
from kepu.volunteering.demo.data import (
    CATEGORY_DEPARTMENTS,
    CATEGORY_GROUPS,
    CATEGORY_WEIGHTS,
    CENTRES,
    DESCRIPTIONS,
    ROADS,
    SLOTS,
    STATUS_WEIGHTS,
    VENUES,
)
from kepu.volunteering.models import Assignment, HourEntry, OrderEvent, ServiceOrder
from kepu.volunteering.services import NUMBER_ALPHABET


class _Generator(_Steps, _Ledger):
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rng = ds.rng
        rand = ds.rng.random
        # Lean forms of rng.choice, rng.uniform and rng.randint (the same seeded source).
        self.pick = lambda seq: seq[int(rand() * len(seq))]
        self.between = lambda low, high: low + (high - low) * rand()
        self.integer = lambda low, high: low + int(rand() * (high - low + 1))
        self.weighted = lambda items, cum: items[bisect.bisect(cum, rand() * cum[-1])]
        self.now = ds.now
        self.tz = ds.now.tzinfo
        self.today_ord = ds.today.toordinal()
        self.base_ord = self.today_ord - BASE_DAYS
        self.width = (BASE_DAYS + AHEAD_DAYS) * 3  # half-days per person in the calendar
        self._midnights: dict[int, datetime.datetime] = {}
        self._deadlines: dict[tuple[int, int], datetime.datetime] = {}
        self.dispatch_days = settings.KEPU_ORDER_DISPATCH_DAYS
        self.accept_days = settings.KEPU_ORDER_ACCEPT_DAYS
        self.minutes = [datetime.timedelta(minutes=m) for m in range(24 * 60 + 1)]
        cent = decimal.Decimal("0.01")
        # Hours of a period of whole minutes, exactly as services._hours rounds them.
        self.hours = [
            (decimal.Decimal(m * 60) / 3600).quantize(cent, rounding=decimal.ROUND_HALF_UP)
            for m in range(24 * 60 + 1)
        ]

        regions = [ds.province, *ds.cities, *ds.counties]
        regions += [t for towns in ds.townships.values() for t in towns]
        self.by_id = {r.pk: r for r in regions}
        self.by_code = {r.code: r for r in regions}
        self._place_names: dict[int, str] = {}

        self.labels = {
            "requester": _("Requester"),
            "system": _("System"),
            "to": _("To %(target)s"),
            "checked_out": _("%(name)s, %(hours)s h"),
            "confirmed": _("%(hours)s volunteer hours confirmed"),
            "escalated": _("Overdue; escalated to %(region)s"),
        }
        self.category_labels = {k: str(k.label) for k in K}

        users = {
            u.username: (u.pk, u.display_name)
            for u in User.objects.filter(
                username__in=[
                    "demo-province",
                    "demo-city",
                    "demo-county-a",
                    "demo-county-b",
                    "demo-member",
                ]
            )
        }
        self.officers = {  # region code prefix → the demo officer who works the orders
            "510104": users.get("demo-county-a"),
            "510703": users.get("demo-county-b"),
            "5101": users.get("demo-city"),
        }
        self.province_officer = users.get("demo-province") or (None, self.labels["system"])
        self.member_user = users.get("demo-member")
        notice = PrivacyNotice.current(NoticePurpose.ORDER)
        self.notice_id = notice.pk if notice else None

        # Organizations: member departments (dispatch targets) and communities (requesters).
        orgs = Organization.objects.filter(
            region__path__startswith=ds.province.path, is_active=True
        )
        self.province_departments, self.departments_by_name = [], {}
        self.local_departments: dict[str, list] = {}
        for pk, name, region_id in orgs.filter(org_type=OrgType.MEMBER_DEPARTMENT).values_list(
            "pk", "name", "region_id"
        ):
            region = self.by_id.get(region_id)
            if region is None:
                continue
            org = (pk, name, region)
            if region.level == RegionLevel.PROVINCE:
                self.province_departments.append(org)
                self.departments_by_name[name] = org
            else:
                self.local_departments.setdefault(region.code, []).append(org)
        self.communities: dict[int, list] = {}
        for pk, name, region_id in orgs.filter(org_type=OrgType.COMMUNITY).values_list(
            "pk", "name", "region_id"
        ):
            region = self.by_id.get(region_id)
            if region is None:
                continue
            self.communities.setdefault(region.pk, []).append((pk, name))
            if region.level == RegionLevel.TOWNSHIP:
                self.communities.setdefault(region.parent_id, []).append((pk, name))
        self.contacts: dict[int, tuple[str, str]] = {}  # community → its contact person

        # Teams with their members (dense indexes into the booking calendar).
        self.names = dict(Person.objects.values_list("pk", "name"))
        info = {
            pk: (name, org_id, leader_id)
            for pk, name, org_id, leader_id in Team.objects.filter(
                region__path__startswith=ds.province.path
            ).values_list("pk", "name", "organization_id", "leader_id")
        }
        team_orgs = {
            pk: (pk, name, self.by_id.get(region_id))
            for pk, name, region_id in Organization.objects.filter(
                pk__in=Team.objects.values("organization_id")
            ).values_list("pk", "name", "region_id")
        }
        self.person_index: dict[int, int] = {}
        self.teams: list[_Team] = []
        self.teams_by_county: dict[int, list[_Team]] = {}
        for pk, county, crew in ds.teams:
            if pk not in info or not crew:
                continue
            name, org_id, leader_id = info[pk]
            org = team_orgs.get(org_id)
            if org is not None and (org[2] is None or not org[2].path.startswith(county.path)):
                org = None  # (not a unit that can pass the team its orders)
            members = []
            for person in crew:
                index = self.person_index.setdefault(person, len(self.person_index))
                members.append((person, index))
            team = _Team(
                pk,
                name,
                county,
                members,
                org,
                self.names.get(leader_id, name),
                self.officer(county),
            )
            self.teams.append(team)
            self.teams_by_county.setdefault(county.pk, []).append(team)
        self.team_by_pk = {t.id: t for t in self.teams}
        self.booked = bytearray(len(self.person_index) * self.width // 8 + 1)

        self.statuses = list(STATUS_WEIGHTS)
        self.status_cum = _cumulative(STATUS_WEIGHTS.values())
        self.categories = list(CATEGORY_WEIGHTS)
        self.category_cum = {
            rural: _cumulative(
                w * (2 if rural else 0.4) if k == K.AGRICULTURE else w
                for k, w in CATEGORY_WEIGHTS.items()
            )
            for rural in (False, True)
        }
        self.crew_cum = _cumulative(CREW_WEIGHTS)
        self.numbers = set(ServiceOrder.objects.values_list("number", flat=True))
        self.day_strings: dict[int, str] = {}
        self.requesters: dict[int, list] = {}  # county → earlier citizens (name, phone)

        self.order_id = ds.ids(ServiceOrder, 1).start
        self.event_id = ds.ids(OrderEvent, 1).start
        self.assignment_id = ds.ids(Assignment, 1).start
        self.entry_id = ds.ids(HourEntry, 1).start
        self.n_orders = self.n_events = self.n_assignments = self.n_checkins = 0

    # --- small helpers ---------------------------------------------------------------------

    def officer(self, region) -> tuple:
        """(user id, label) of the most local demo officer over `region`."""
        for prefix, user in self.officers.items():
            if user is not None and region.code.startswith(prefix):
                return user
        return self.province_officer

    def midnight(self, ordinal: int) -> datetime.datetime:
        day = self._midnights.get(ordinal)
        if day is None:
            day = datetime.datetime.combine(
                datetime.date.fromordinal(ordinal), datetime.time(), tzinfo=self.tz
            )
            self._midnights[ordinal] = day
        return day

    def deadline(self, at: datetime.datetime, days: int) -> datetime.datetime:
        key = (at.toordinal(), days)
        due = self._deadlines.get(key)
        if due is None:
            due = self._deadlines[key] = workdays.deadline(at, days)
        return due

    def late(self, accept: bool) -> float:
        """Hours a dispatch, claim or acceptance took: mostly hours, sometimes days, now
        and then past the deadline (as in the demo)."""
        r = self.rng.random()
        if accept:
            band = (80, 180) if r < 0.06 else (16, 60) if r < 0.2 else (0.5, 16)
        else:
            band = (60, 200) if r < 0.06 else (16, 48) if r < 0.2 else (0.3, 16)
        return self.between(*band)

    def person_name(self) -> str:
        return self.pick(SURNAMES) + "".join(self.pick(GIVEN) for _i in range(self.pick((1, 2, 2))))

    def phone(self) -> str:
        return f"1{self.pick('3578')}{int(self.rng.random() * 10**9):09d}"

    def place(self, county):
        towns = self.ds.townships.get(county.id)
        return self.pick(towns) if towns and self.rng.random() < 0.8 else county

    def place_name(self, region) -> str:
        name = self._place_names.get(region.id)
        if name is None:
            codes = [code for code in region.path.split("/") if code][1:]
            name = "".join(self.by_code[code].name for code in codes if code in self.by_code)
            self._place_names[region.id] = name
        return name

    def member_department(self, category, county):
        candidates = [
            self.departments_by_name[name]
            for name in CATEGORY_DEPARTMENTS[category]
            if name in self.departments_by_name
        ]
        if category == K.YOUTH_SCIENCE:  # the city and county education bureaus
            candidates += self.local_departments.get(county.code, [])
            candidates += self.local_departments.get(county.code[:4], [])
        candidates = candidates or self.province_departments
        return self.pick(candidates) if candidates else None

    def number(self, submitted: datetime.datetime) -> str:
        ordinal = submitted.toordinal()
        day = self.day_strings.get(ordinal)
        if day is None:
            day = self.day_strings[ordinal] = f"{submitted:%Y%m%d}"
        while True:
            bits = self.rng.getrandbits(30)  # 6 characters of 5 bits (32 letters)
            number = day + "".join(NUMBER_ALPHABET[bits >> shift & 31] for shift in SHIFTS)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def free(self, crew, cell, want) -> list:
        """Up to `want` members of `crew` not yet booked in half-day `cell`, booked now."""
        booked, width = self.booked, self.width
        rand, n = self.rng.random, len(crew)
        chosen, seen = [], set()
        for _try in range(want + 3):
            i = int(rand() * n)
            if i in seen:
                continue
            seen.add(i)
            person, index = crew[i]
            key = index * width + cell
            bit = 1 << (key & 7)
            if not booked[key >> 3] & bit:
                booked[key >> 3] |= bit
                chosen.append(person)
                if len(chosen) == want:
                    break
        return chosen

    # --- orders ----------------------------------------------------------------------------

    def orders(self) -> int:
        ds = self.ds
        n = ds.size("orders")
        rows = 0
        while self.n_orders < n:
            self.order_rows, self.event_rows = [], []
            self.assignment_rows, self.entry_rows = [], []
            goal = min(CHUNK, n - self.n_orders)
            while len(self.order_rows) < goal:
                self.plan()
            self.n_orders += len(self.order_rows)
            self.n_events += len(self.event_rows)
            self.n_assignments += len(self.assignment_rows)
            self.n_checkins += len(self.entry_rows)
            rows += ds.insert(ServiceOrder, self.order_rows)
            rows += ds.insert(HourEntry, self.entry_rows)
            rows += ds.insert(Assignment, self.assignment_rows)
            rows += ds.insert(OrderEvent, self.event_rows)
        self.order_rows = self.event_rows = self.assignment_rows = self.entry_rows = []
        return rows

    def plan(self) -> None:
        """One order that is in a status drawn by STATUS_WEIGHTS now: its steps are laid
        out around an anchor (the last step before now, or the service window) and then
        applied the way `services` applies them."""
        rng = self.rng
        rand = rng.random
        now = self.now
        target = self.weighted(self.statuses, self.status_cum)

        county = self.ds.county()
        teams = self.teams_by_county.get(county.id)
        if not teams and target not in (S.SUBMITTED, S.REJECTED, S.CANCELLED):
            county = self.pick(self.teams).county  # only where a team serves
            teams = self.teams_by_county[county.id]
        team = self.pick(teams) if teams else None
        category = self.weighted(self.categories, self.category_cum[county.name.endswith("县")])

        # The route: straight to a team, or to a department (the team's own unit, which
        # passes it on, or a member department that has not claimed it yet).
        department = None
        if target == S.SUBMITTED:
            if rand() < 0.15:  # dispatched, then given back by the department
                department = self.member_department(category, county)
        elif target == S.DISPATCHED:
            if team is not None and team.org is not None and rand() < 0.5:
                department = team.org
            else:
                department = self.member_department(category, county)
        elif team is None:  # a rejection or cancellation where no team serves
            department = self.member_department(category, county)
        elif team.org is not None and rand() < 0.45:
            department = team.org
        region = None
        if (
            department is not None
            and team is not None
            and department is team.org
            and department[2].level == RegionLevel.TOWNSHIP
        ):
            region = department[2]  # a department passes on orders of its own area only
        if region is None:
            region = self.place(county)

        late = self.late
        steps: list[tuple[str, float, object]] = []
        if target == S.SUBMITTED:
            if department is not None:
                steps = [("dispatch", late(False), department), ("return", self.between(2, 30), 0)]
        else:
            other = None
            if (
                target in SERVICE or target == S.AWAITING_TEAM
            ) and rand() < 0.08:  # given back and dispatched again
                others = [t for t in teams if t is not team]
                other = self.pick(others) if others else None
            if department is not None:
                steps.append(("dispatch", late(False), department))
                if other is not None:
                    steps += [
                        ("return", self.between(2, 30), 0),
                        ("dispatch", late(False), other),
                    ]
                    department, team = None, other
                elif target != S.DISPATCHED and team is not None and department is team.org:
                    steps.append(("claim", late(True), team))
            else:
                steps.append(("dispatch", late(False), team))
                if other is not None:
                    steps += [
                        ("return", self.between(2, 30), 0),
                        ("dispatch", late(False), other),
                    ]
                    team = other

        accept_hours = late(True)
        reaches_accept = target in SERVICE
        ending = None
        officer_close = False
        if target in (S.REJECTED, S.CANCELLED):
            stage = rand()
            if target == S.REJECTED:
                keep = 0 if stage < 0.7 else 1
            else:
                keep = 0 if stage < 0.5 else 1 if stage < 0.7 else 2
            steps = steps[:keep]
            # Cancelled after the team accepted (the order was with the team by then).
            reaches_accept = (
                target == S.CANCELLED
                and stage >= 0.85
                and bool(steps)
                and (steps[-1][0] == "claim" or isinstance(steps[-1][2], _Team))
            )
            before_end = sum(d for _s, d, _a in steps) + (accept_hours if reaches_accept else 0)
            back = 30 + (24 * 365 - 30) * rand() ** 1.25
            submitted = now - datetime.timedelta(hours=back)
            end_at = submitted + datetime.timedelta(hours=before_end + self.between(1, 60))
            if end_at >= now:
                shift = end_at - now + datetime.timedelta(hours=self.between(1, 24))
                submitted -= shift
                end_at -= shift
            ending = (A.REJECT if target == S.REJECTED else A.CANCEL, end_at)
            window_ord = (end_at + datetime.timedelta(hours=self.between(24, 240))).toordinal()
        elif target in WAITING:
            waited = self.between(96, 260) if rand() < 0.25 else self.between(0.3, 40)
            submitted = now - datetime.timedelta(hours=waited + sum(d for _s, d, _a in steps))
            window_ord = (now + datetime.timedelta(hours=self.between(24, 336))).toordinal()
        elif target == S.ACCEPTED:
            back = self.between(1, 144) + accept_hours + sum(d for _s, d, _a in steps)
            submitted = now - datetime.timedelta(hours=back)
            window_ord = (now + datetime.timedelta(hours=self.between(24, 288))).toordinal()
        else:
            if target == S.IN_SERVICE:  # served yesterday, not completed by the team yet
                days_back = 1 if rand() < 0.75 else 2
            elif target == S.SERVED:
                days_back = self.integer(2, 8)
            else:
                officer_close = rand() < 0.25
                low = 30 if officer_close else 12
                days_back = low + int((HISTORY_DAYS - low) * rand() ** 1.25)
            window_ord = self.today_ord - days_back
            submitted = None  # from the window, below
            lead = self.between(24, 288)  # from acceptance to the service

        # The window, and the volunteers booked for it (another half-day of the same day
        # when the team has nobody free).
        start_minute = self.pick(SLOTS)
        half = HALF[start_minute]
        start_minute = start_minute[0] * 60 + start_minute[1]
        volunteers = []
        if reaches_accept:
            want = self.weighted(CREW_SIZES, self.crew_cum)
            cell = (window_ord - self.base_ord) * 3
            for attempt in (half, (half + 1) % 3, (half + 2) % 3):
                volunteers = self.free(team.crew, cell + attempt, want)
                if volunteers:
                    if attempt != half:
                        start_minute = self.pick(SLOTS_BY_HALF[attempt])
                    break
            if not volunteers:
                return
        window_start = self.midnight(window_ord) + self.minutes[start_minute]
        window_end = window_start + self.minutes[self.pick(WINDOW_MINUTES)]
        if submitted is None:
            submitted = window_start - datetime.timedelta(
                hours=lead + accept_hours + sum(d for _s, d, _a in steps)
            )

        # The order as submit_order leaves it.
        o = self.new_order(region, county, category, submitted, window_start, window_end)
        self.order = o
        self.escalated_region = None
        self.officer_actor = self.officer(region)
        self.event(A.SUBMIT, submitted, "", *self.submit_actor)
        at = submitted
        for step, delay, arg in steps:
            at = at + datetime.timedelta(hours=delay)
            self.escalate_until(at)
            if step == "dispatch":
                self.dispatch(at, arg)
            elif step == "claim":
                self.claim(at, arg)
            else:
                self.give_back(at)
        assignments = []
        if reaches_accept:
            if ending is not None or target == S.ACCEPTED:
                accepted = at + datetime.timedelta(hours=accept_hours)
            else:
                accepted = window_start - datetime.timedelta(hours=lead)
            self.escalate_until(accepted)
            assignments = self.accept(accepted, team, volunteers)
        if ending is not None:
            self.escalate_until(ending[1])
            self.end(*ending)
        elif target in (S.IN_SERVICE, S.SERVED, S.CLOSED):
            self.serve(target, team, assignments, officer_close)
        self.escalate_until(now)
        o["updated_at"] = self.last
        self.order_rows.append(o)

    def new_order(self, region, county, category, submitted, window_start, window_end) -> dict:
        rng = self.rng
        group = self.pick(CATEGORY_GROUPS[category])
        venue = self.pick(VENUES[group])
        if group == G.YOUTH and not venue.startswith("青少年"):
            venue = f"{county.name}{venue}"
        address = f"{self.place_name(region)}{self.pick(ROADS)}{self.integer(1, 300)}号{venue}"
        community = None
        communities = self.communities.get(region.id) or self.communities.get(county.id)
        if communities and rng.random() < 0.35:
            community = self.pick(communities)
            contact = self.contacts.get(community[0])
            if contact is None:
                contact = self.contacts[community[0]] = (self.person_name(), self.phone())
            name, phone = contact
            self.submit_actor = (None, community[1])
        else:
            earlier = self.requesters.setdefault(county.id, [])
            if earlier and rng.random() < 0.15:  # somebody who ordered before
                name, phone = self.pick(earlier)
            else:
                name, phone = self.person_name(), self.phone()
                if len(earlier) < 200:
                    earlier.append((name, phone))
            self.submit_actor = (None, self.labels["requester"])
        latitude = longitude = None
        prefecture = county.code[:4]
        if prefecture in CENTRES and rng.random() < 0.4:
            lat, lng = CENTRES[prefecture]
            spread = 0.1 if prefecture == "5101" else 0.3
            latitude = decimal.Decimal(f"{lat + self.between(-spread, spread):.6f}")
            longitude = decimal.Decimal(f"{lng + self.between(-spread, spread):.6f}")
        pk = self.order_id
        self.order_id += 1
        return {
            "id": pk,
            "number": self.number(submitted),
            "client_key": None,
            "token": new_uuid(rng),
            "requester_kind": c.RequesterKind.COMMUNITY if community else c.RequesterKind.CITIZEN,
            "requester_name": name,
            "requester_phone_enc": crypto.seal(phone),
            "requester_phone_hash": crypto.blind_index(phone),
            "requester_phone_masked": pii.mask_phone(phone),
            "requester_user_id": None,
            "requester_organization_id": community[0] if community else None,
            "notice_id": self.notice_id,
            "category": category,
            "key_group": group,
            "region_id": region.id,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            "window_start": window_start,
            "window_end": window_end,
            "expected_attendees": self.integer(*ATTENDEES.get(group, (20, 150))),
            "description": self.pick(DESCRIPTIONS[category]),
            "status": S.SUBMITTED,
            "department_id": None,
            "team_id": None,
            "submitted_at": submitted,
            "dispatch_due": self.deadline(submitted, self.dispatch_days),
            "dispatched_at": None,
            "accept_due": None,
            "claimed_at": None,
            "accepted_at": None,
            "served_at": None,
            "closed_at": None,
            "dispatched_on_time": None,
            "accepted_on_time": None,
            "escalated_to_id": None,
            "escalated_at": None,
            "rating": None,
            "rating_comment": "",
            "rated_at": None,
            "reason": "",
            "region": region,  # (dropped by insert: not a column attname)
        }
