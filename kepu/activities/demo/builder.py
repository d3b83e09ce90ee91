"""The demo's builder: plans the campaigns, tours and activities of the demo province and
writes them with their review histories, tags, reports and sign-ups."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kepu.activities import choices as c
from kepu.activities import services
from kepu.activities.demo.vocabulary import (
    BRAND,
    CANCEL_REASONS,
    CENTRES,
    COUNTY_A,
    COUNTY_B,
    CROPS,
    EFFECTS,
    FACILITIES,
    FUTURE_STATUSES,
    GIVEN,
    GROUP_NAMES,
    KIND_NAMES,
    LABS,
    LECTURES,
    MEMBER_UNIT,
    PAST_STATUSES,
    PROVINCE,
    REJECT_REASONS,
    RETURN_REASONS,
    ROADS,
    SHOWS,
    SIGNUP_KINDS,
    SKIES,
    SURNAMES,
    TEMPLATES,
    VENUES,
    K,
    S,
    _campaign_specs,
    _md,
    _nth_weekday,
    report_reach,
    report_window,
)
from kepu.activities.models import (
    Activity,
    Campaign,
    SignUp,
)
from kepu.core import clock, pii
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import NoticePurpose, OrgType, RegionLevel
from kepu.core.choices import Topic as T
from kepu.core.models import Organization, PrivacyNotice, Region, User
from kepu.core.scope import allowed_regions

REASONS = {c.Decision.RETURNED: RETURN_REASONS, c.Decision.REJECTED: REJECT_REASONS}
# The workflow step of each decision the plan names.
REVIEW_STEPS = {
    c.Decision.APPROVED: "approve",
    c.Decision.RETURNED: "return",
    c.Decision.REJECTED: "reject",
}


class _Demo:
    def __init__(self, rng: random.Random, size: int):
        self.rng = rng
        self.size = max(size, 100)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.tz = timezone.get_current_timezone()
        self.report_days = settings.KEPU_ACTIVITY_REPORT_DAYS
        self.province = Region.objects.get(code=PROVINCE)
        regions = list(Region.objects.subtree(self.province))
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.counties = sorted(
            (r for r in regions if r.level == RegionLevel.COUNTY), key=lambda r: r.code
        )
        self.towns: dict[int, list] = {}
        for r in regions:
            if r.level == RegionLevel.TOWNSHIP:
                self.towns.setdefault(r.parent_id, []).append(r)
        self.orgs: dict[int, list] = {}
        self.org_by_name = {}
        for org in Organization.objects.filter(
            region__path__startswith=self.province.path, is_active=True
        ).order_by("pk"):
            org.region = self.by_id[org.region_id]
            self.orgs.setdefault(org.region_id, []).append(org)
            self.org_by_name[org.name] = org
        usernames = [
            "demo-county-a",
            "demo-county-b",
            "demo-city",
            "demo-province",
            "demo-province-2",
            "demo-member",
        ]
        self.users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.notice = PrivacyNotice.current(NoticePurpose.SIGNUP)
        self.activities: list[Activity] = []
        self.counts = {"reports": 0, "signups": 0}

    # --- helpers -----------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return start + (end - start) * self.rng.random()

    def county_of(self, region: Region) -> Region:
        return region if region.level == RegionLevel.COUNTY else self.by_id[region.parent_id]

    def place_name(self, region: Region) -> str:
        """City, county and township names, without the province."""
        return "".join(self.by_code[code].name for code in region.ancestor_codes[1:])

    def reviewer(self, region: Region):
        """The most local demo officer whose region holds `region`."""
        for code, username in (
            (COUNTY_A, "demo-county-a"),
            (COUNTY_B, "demo-county-b"),
            ("5101", "demo-city"),
        ):
            if region.path.startswith(self.by_code[code].path):
                return self.users.get(username)
        return self.users.get("demo-province")

    def colleague(self, officer):
        """Another officer whose scope holds `officer`'s: four-eyes, the one who approves
        what `officer` submitted (the city or the province above a county, the second
        province officer for the province)."""
        above = {
            "demo-county-a": "demo-city",
            "demo-county-b": "demo-province",
            "demo-city": "demo-province",
            "demo-province": "demo-province-2",
        }
        return self.users.get(above.get(officer.username, "demo-province"))

    def organizer(self, region: Region, *, school: bool) -> Organization:
        """An organization whose region holds `region`, most often a local one (a school
        only when the activity is for young people)."""
        county = self.county_of(region)
        local = self.orgs.get(county.pk, []) + (
            self.orgs.get(region.pk, []) if region is not county else []
        )
        if not school:
            local = [o for o in local if o.org_type != OrgType.SCHOOL] or local
        pools = [
            (local, 6),
            (self.orgs.get(county.parent_id, []), 2),
            (self.orgs.get(self.province.pk, []), 2),
        ]
        pools = [(pool, w) for pool, w in pools if pool]
        pool = self.rng.choices([p for p, _w in pools], weights=[w for _p, w in pools])[0]
        return self.rng.choice(pool)

    def random_day(self) -> datetime.date:
        """A day of this year (or, late in the year, of the next weeks), upcoming days
        somewhat over-represented so the portal always has a programme."""
        rng = self.rng
        first = datetime.date(self.year, 1, 1)
        last = max(datetime.date(self.year, 12, 31), self.today + datetime.timedelta(days=45))
        future_days = (last - self.today).days
        share = max(future_days / ((last - first).days + 1), 0.18)
        if future_days > 0 and (rng.random() < share or self.today <= first):
            day = self.today + datetime.timedelta(days=rng.randint(1, future_days))
        else:
            day = first + datetime.timedelta(days=rng.randint(0, (self.today - first).days))
        if day.weekday() < 5 and rng.random() < 0.35:  # many activities are at weekends
            moved = day + datetime.timedelta(days=5 - day.weekday())
            if moved <= last:
                day = moved
        return day

    def campaign_day(self, spec: dict) -> datetime.date:
        start, end = spec["start"], spec["end"]
        if spec["kind"] == c.CampaignKind.SCIENCE_DAY and self.rng.random() < 0.4:
            start = _nth_weekday(start.year, 9, 5, 3)  # the 科普日 weekend itself
            return start + datetime.timedelta(days=self.rng.randint(0, 1))
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # --- the run -----------------------------------------------------------------------

    def run(self) -> dict:
        self.create_campaigns()
        self.create_facilities()
        self.plan_tours()
        self.plan_brand()
        self.plan_member_unit()
        self.plan_last_year()
        remaining = max(self.size - len(self.activities), 50)
        self.plan_regular(remaining)
        return {
            "campaigns": len(self.campaigns),
            "facilities": len(self.facilities),
            "activities": len(self.activities),
            "reports": self.counts["reports"],
            "signups": self.counts["signups"],
        }

    def create_campaigns(self) -> None:
        self.specs = {spec["key"]: spec for spec in _campaign_specs(self.year)}
        self.campaigns = [
            Campaign(
                name=spec["name"],
                kind=spec["kind"],
                year=spec["start"].year,
                theme=spec["theme"],
                start_date=spec["start"],
                end_date=spec["end"],
                region=self.province,
                description=spec["description"],
            )
            for spec in self.specs.values()
        ]
        existing = set(Campaign.objects.filter(region=self.province).values_list("name", flat=True))
        self.campaigns = [
            services.create_campaign(
                actor=None,
                **{f: getattr(x, f) for f in Campaign.EDITABLE_FIELDS},
                region=self.province,
            )
            for x in self.campaigns
            if x.name not in existing
        ]
        by_name = {
            x.name: x
            for x in Campaign.objects.filter(
                region=self.province, name__in=[s["name"] for s in self.specs.values()]
            )
        }
        for spec in self.specs.values():
            spec["campaign"] = by_name[spec["name"]]

    def create_facilities(self) -> None:
        self.facilities = []
        for name, kind, operator, description in FACILITIES:
            org = self.org_by_name[operator]
            self.facilities.append(
                services.create_facility(
                    actor=None,
                    name=name,
                    kind=kind,
                    organization=org,
                    region=org.region,
                    description=description,
                )
            )

    # --- plans -------------------------------------------------------------------------

    def plan_tours(self) -> None:
        """Each facility's stops: consecutive, non-overlapping, in different counties, all
        but the last three or so already over."""
        rng = self.rng
        outside = [r for r in self.counties if not r.code.startswith("5101")]
        rural = [r for r in outside if r.name.endswith("县")] or outside
        for facility in self.facilities:
            caravan = facility.kind == c.FacilityKind.CARAVAN
            stops = rng.randint(8, 10) if caravan else rng.randint(6, 8)
            pool = rural if caravan else [r for r in outside if r.code != COUNTY_B]
            counties = rng.sample(pool, stops)
            if not caravan:  # the mobile museum also visits demo-county-b's 涪城区
                counties[stops // 2] = self.by_code[COUNTY_B]
            length = (2, 3) if caravan else (21, 30)
            gap = (18, 30) if caravan else (6, 12)
            step = sum(length) // 2 + sum(gap) // 2
            day = self.today - datetime.timedelta(days=step * (stops - 3))
            org = facility.organization
            for number, county in enumerate(counties, 1):
                days = rng.randint(*length)
                starts_at = self.at(day, 9)
                ends_at = self.at(day + datetime.timedelta(days=days - 1), 17)
                if caravan:
                    title = f"科普大篷车走进{county.name}"
                    venue = rng.choice(["文化广场", "实验中学操场", "乡镇中心小学", "农贸市场广场"])
                    audience = rng.randint(8, 30) * 100
                else:
                    title = f"中国流动科技馆{county.name}巡展"
                    venue = rng.choice(["体育馆", "文化馆", "青少年活动中心"])
                    audience = rng.randint(50, 300) * 100
                campaign = self.campaign_for(day, ("science_day", "tech_week", "science_week"))
                activity = Activity(
                    title=title,
                    organization=org,
                    campaign=campaign,
                    kind=K.TOUR_STOP,
                    region=county,
                    address=f"{self.place_name(county)}{venue}",
                    starts_at=starts_at,
                    ends_at=ends_at,
                    volunteers_needed=rng.choice((5, 8, 10, 12)),
                    expected_audience=audience,
                    description=f"{facility.name}第{number}站。{facility.description}",
                    facility=facility,
                )
                self.coordinates(activity, county, always=True)
                if ends_at < self.now:
                    status = S.PUBLISHED
                else:
                    ahead = sum(
                        1
                        for a in self.activities
                        if a.facility_id == facility.pk and a.ends_at > self.now
                    )
                    status = (
                        (S.PUBLISHED, S.PUBLISHED, S.SUBMITTED)[ahead] if ahead < 3 else S.DRAFT
                    )
                self.finish(
                    activity, (T.SPACE, T.AI, T.HEALTH), (G.YOUTH, G.FARMERS), status=status
                )
                day += datetime.timedelta(days=days + rng.randint(*gap))

    def campaign_for(self, day: datetime.date, keys) -> Campaign | None:
        for key in keys:
            spec = self.specs[key]
            if spec["start"] <= day <= spec["end"]:
                return spec["campaign"]
        return None

    def plan_brand(self) -> None:
        """天府科技云讲堂: an evening live lecture about twice a month, all year."""
        rng = self.rng
        spec = self.specs["brand"]
        names = ["四川省科学技术协会", "四川大学", "中国科学院成都分院", "四川科技馆"]
        names += ["西南科技大学", "四川省地震局"]
        hosts = [self.org_by_name[n] for n in names if n in self.org_by_name]
        count = max(6, self.size // 120)
        for i in range(count):
            day = spec["start"] + datetime.timedelta(days=int(i * 365 / count) + rng.randint(0, 6))
            org = rng.choice(hosts)
            lecture, topics = rng.choice(LECTURES)
            activity = Activity(
                title=f"{BRAND}·{lecture}",
                organization=org,
                campaign=spec["campaign"],
                kind=K.LIVE,
                region=org.region,
                address="线上直播",
                starts_at=self.at(day, 19, 30),
                ends_at=self.at(day, 21),
                online_url=f"https://live.example.cn/tianfu/{day:%Y%m%d}",
                expected_audience=rng.randint(20, 300) * 100,
                brand=BRAND,
                description=f"{BRAND}邀请专家围绕“{lecture}”线上开讲，并在线答疑。",
            )
            self.finish(activity, topics, (G.GENERAL, G.YOUTH, G.OFFICIALS))

    def plan_member_unit(self) -> None:
        """四川省教育厅 (the demo-member account's unit) in both persona counties, in every
        status, so its staff see drafts to edit, a review queue, reports to file."""
        org = self.org_by_name.get(MEMBER_UNIT)
        if org is None:
            return
        plan = [
            (S.DRAFT, 1),
            (S.SUBMITTED, 1),
            (S.SUBMITTED, 1),
            (S.RETURNED, 1),
            (S.PUBLISHED, 1),
            (S.PUBLISHED, 1),
            (S.PUBLISHED, -1),
            (S.PUBLISHED, -1),
            (S.PUBLISHED, -1),
            (S.REJECTED, 1),
            (S.CANCELLED, -1),
        ]
        first = datetime.date(self.year, 1, 1)
        for code in (COUNTY_A, COUNTY_B):
            county = self.by_code[code]
            for status, direction in plan:
                if direction > 0:
                    day = self.today + datetime.timedelta(days=self.rng.randint(2, 40))
                else:
                    past = max((self.today - first).days, 10)
                    day = self.today - datetime.timedelta(days=self.rng.randint(3, past))
                region = self.rng.choice(self.towns.get(county.pk, []) + [county])
                template = self.rng.choice(TEMPLATES["education"])
                self.regular(region, day, None, template, org=org, status=status)

    def plan_last_year(self) -> None:
        """Last year's 全国科普日, for the year-on-year comparison."""
        spec = self.specs["last_science_day"]
        for _i in range(max(10, self.size // 30)):
            region = self.pick_region()
            template = self.template_for("science_day")
            self.regular(region, self.campaign_day(spec), spec, template)

    def plan_regular(self, count: int) -> None:
        rng = self.rng
        keys = [k for k, s in self.specs.items() if s["weight"]]
        weights = [self.specs[k]["weight"] for k in keys]
        fixed = [self.by_code[COUNTY_A]] * 40 + [self.by_code[COUNTY_B]] * 30
        for i in range(count):
            region = self.pick_region(fixed[i] if i < len(fixed) else None)
            spec = None
            if rng.random() < 0.45:
                spec = self.specs[rng.choices(keys, weights=weights)[0]]
            day = self.campaign_day(spec) if spec else self.random_day()
            self.regular(region, day, spec, self.template_for(spec["key"] if spec else None))

    def pick_region(self, county: Region | None = None) -> Region:
        if county is None:
            if not hasattr(self, "county_weights"):
                self.county_weights = [
                    8 if r.code.startswith("5101") else 3 if r.code[:4] in ("5107", "5106") else 1
                    for r in self.counties
                ]
            county = self.rng.choices(self.counties, weights=self.county_weights)[0]
        towns = self.towns.get(county.pk, [])
        return self.rng.choice(towns) if towns and self.rng.random() < 0.55 else county

    def template_for(self, key: str | None):
        themed = TEMPLATES.get(key.removeprefix("last_")) if key else None
        if themed and self.rng.random() < 0.7:
            return self.rng.choice(themed)
        return self.rng.choice(TEMPLATES["generic"])

    # --- one activity --------------------------------------------------------------------

    def regular(self, region, day, spec, template, *, org=None, status=None) -> None:
        rng = self.rng
        title, kind, topics, groups = template
        lab, lab_county = rng.choice(LABS)
        if "{lab}" in title and lab_county in self.by_code:  # held at the laboratory
            region = self.by_code[lab_county]
        county = self.county_of(region)
        lecture, lecture_topics = rng.choice(LECTURES)
        if "{lecture}" in title:
            topics = topics + lecture_topics
        school = f"{county.name}{rng.choice(['实验小学', '第一中学', '实验中学', '第二小学'])}"
        title = title.format(
            place=region.name,
            lab=lab,
            show=rng.choice(SHOWS),
            crop=rng.choice(CROPS),
            sky=rng.choice(SKIES),
            lecture=lecture,
            school=school,
            theme=spec["theme"] if spec else "",
        )
        org = org or self.organizer(region, school=G.YOUTH in groups)
        starts_at, ends_at = self.times(day, kind, title)
        activity = Activity(
            title=title,
            organization=org,
            campaign=spec["campaign"] if spec else None,
            kind=kind,
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            volunteers_needed=rng.choice((0, 0, 2, 3, 5, 8, 10, 15)),
        )
        if kind == K.LIVE:
            activity.address = "线上直播"
            activity.online_url = f"https://live.example.cn/kepu/{activity.uid.hex[:12]}"
            activity.expected_audience = rng.randint(5, 200) * 100
        else:
            venue = rng.choice(VENUES[kind])
            if "{school}" in template[0] or "{lab}" in template[0]:
                venue = school if "{school}" in template[0] else lab
            activity.address = (
                f"{self.place_name(region)}{rng.choice(ROADS)}{rng.randint(1, 300)}号{venue}"
            )
            if rng.random() < 0.45:
                self.coordinates(activity, county)
            audience = {K.EXHIBITION: (300, 3000), K.OPEN_DAY: (100, 800), K.SHOW: (100, 500)}
            activity.expected_audience = rng.randint(*audience.get(kind, (30, 300)))
        if kind in SIGNUP_KINDS and rng.random() < 0.35:
            activity.signup_required = True
            activity.capacity = rng.choice((30, 40, 50, 60, 80, 100, 120))
            activity.expected_audience = activity.capacity
        elif kind != K.LIVE and rng.random() < 0.25:
            activity.capacity = rng.choice((100, 200, 300, 500))
        who = "、".join(GROUP_NAMES[g] for g in groups)
        activity.description = (
            f"本次活动由{org.name}主办，面向{who}，"
            f"以{KIND_NAMES[kind]}的形式普及科学知识，欢迎参加。"
        )
        picked_groups = rng.sample(groups, rng.randint(1, len(groups)))
        picked_topics = rng.sample(topics, min(len(topics), rng.randint(1, 2))) if topics else []
        self.finish(activity, picked_topics, picked_groups, status=status)

    def times(self, day, kind, title):
        rng = self.rng
        if kind == K.EXHIBITION:
            return self.at(day, 9), self.at(day + datetime.timedelta(days=rng.randint(0, 6)), 17)
        if kind in (K.OPEN_DAY, K.LAB_OPEN):
            return self.at(day, 9), self.at(day, 16, 30)
        if kind == K.LIVE or "天文" in title:
            start = self.at(day, 19, 30)
            return start, start + datetime.timedelta(minutes=rng.choice((90, 120, 150)))
        hour, minute = rng.choice(((9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 0)))
        start = self.at(day, hour, minute)
        minutes = {
            K.TRAINING: (120, 180),
            K.CONTEST: (240, 360),
            K.FIELD_TRIP: (180, 240),
        }.get(kind, (90, 120))
        return start, start + datetime.timedelta(minutes=rng.choice(minutes))

    def coordinates(self, activity, county, *, always=False) -> None:
        if not always and county.path.split("/")[1] not in CENTRES:
            return
        lat, lng = CENTRES.get(county.path.split("/")[1], CENTRES["5101"])
        spread = 0.12 if county.code.startswith("5101") else 0.3
        activity.latitude = Decimal(f"{lat + self.rng.uniform(-spread, spread):.6f}")
        activity.longitude = Decimal(f"{lng + self.rng.uniform(-spread, spread):.6f}")

    def finish(self, activity, topics, groups, *, status=None) -> None:
        """Replay a planned activity through the services, each step at its moment (the
        clock frozen there) and by its actor: created by its author, submitted, reviewed
        by the local officer, cancelled; then its sign-ups, check-ins and report."""
        rng = self.rng
        future = activity.starts_at > self.now
        if status is None:
            weights = FUTURE_STATUSES if future else PAST_STATUSES
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
        officer = self.reviewer(activity.region)
        member = activity.organization.name == MEMBER_UNIT
        author = self.users.get("demo-member") if member else officer
        if activity.facility is not None:
            # A facility's stops are planned by the officers of its region and above (the
            # province's caravan by the province): the most local one who may also hold
            # activities where the stop is.
            author = self.reviewer(activity.facility.region)
            if (
                not allowed_regions(author, Activity, "create")
                .filter(pk=activity.region_id)
                .exists()
            ):
                author = self.users.get("demo-province")
        if author == officer:
            officer = self.colleague(author)

        lead = datetime.timedelta(days=rng.randint(7, 45), hours=rng.randint(0, 23))
        created = activity.starts_at - lead
        if created > self.now - datetime.timedelta(hours=2):
            created = self.now - datetime.timedelta(hours=rng.randint(2, 240))
        limit = min(self.now, activity.starts_at) - datetime.timedelta(hours=1)

        before_cancel = status
        if status == S.CANCELLED:
            before_cancel = rng.choices(
                (S.PUBLISHED, S.SUBMITTED, S.DRAFT, S.RETURNED), weights=(60, 15, 15, 10)
            )[0]
        steps = self.steps(before_cancel)
        stamps = sorted(self.between(created, limit) for _s in steps)
        fields = {f: getattr(activity, f) for f in Activity.EDITABLE_FIELDS}
        with clock.frozen(created):
            activity = services.create_activity(
                actor=author,
                groups=sorted(set(groups)),
                topics=sorted(set(topics)),
                facility=activity.facility,
                **fields,
            )
        last = created
        for step, at in zip(steps, stamps, strict=True):
            last = at
            with clock.frozen(at):
                if step == "submit":
                    activity = services.submit_activity(activity, actor=author)
                    continue
                reason = rng.choice(REASONS[step]) if step in REASONS else ""
                activity = services.review_activity(
                    activity, actor=officer, step=REVIEW_STEPS[step], reason=reason
                )
        if status == S.CANCELLED:
            with clock.frozen(self.between(last, max(last, limit))):
                activity = services.cancel_activity(
                    activity, actor=author, reason=rng.choice(CANCEL_REASONS)
                )
        self.activities.append(activity)
        if status != S.PUBLISHED:
            return
        checked_in = 0
        upcoming = activity.starts_at > self.now
        if activity.signup_required and (upcoming or rng.random() < 0.4):
            checked_in = self.sign_ups(activity, last, groups, author)
        if activity.ends_at < self.now:
            self.report(activity, checked_in, author)

    def steps(self, status) -> list[str]:
        """The workflow steps (submissions and decisions) that end in `status`."""
        rng = self.rng
        r = rng.random()
        ret, app, rej = c.Decision.RETURNED, c.Decision.APPROVED, c.Decision.REJECTED
        if status == S.DRAFT:
            return []
        if status == S.SUBMITTED:
            return ["submit"] if r < 0.75 else ["submit", ret, "submit"]
        if status == S.RETURNED:
            return ["submit", ret] if r < 0.8 else ["submit", ret, "submit", ret]
        if status == S.REJECTED:
            return ["submit", rej] if r < 0.75 else ["submit", ret, "submit", rej]
        if r < 0.76:
            return ["submit", app]
        if r < 0.95:
            return ["submit", ret, "submit", app]
        return ["submit", ret, "submit", ret, "submit", app]

    def sign_ups(self, activity, published_at, groups, author) -> int:
        """Sign-ups from publication until the start, through `services.sign_up` and
        `cancel_signup` in time order (a place while one is free, else the waiting list;
        a cancelled place goes to the first person waiting); then the check-ins at the
        door. Returns how many checked in."""
        rng = self.rng
        cap = activity.capacity
        soon = activity.starts_at - self.now < datetime.timedelta(days=30)
        full = rng.random() < 0.3 and (soon or activity.starts_at < self.now)
        if full:
            arrivals = cap + rng.randint(1, 10)
        elif activity.starts_at < self.now or soon:
            arrivals = int(cap * rng.uniform(0.4, 0.95))
        else:
            arrivals = int(cap * rng.uniform(0.05, 0.5))
        end = min(self.now, activity.starts_at) - datetime.timedelta(minutes=10)
        if end <= published_at or arrivals == 0:
            return 0
        events = []
        for i in range(arrivals):
            at = self.between(published_at, end)
            events.append((at, 0, i))
            if rng.random() < 0.07:
                events.append((self.between(at, end), 1, i))
        events.sort()
        signups: dict[int, SignUp] = {}
        phones: set[str] = set()
        for at, cancel, i in events:
            with clock.frozen(at):
                if cancel:
                    services.cancel_signup(signups[i])
                    continue
                signups[i], _created = services.sign_up(
                    activity,
                    name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    phone=self.phone(phones),
                    key_group=rng.choice(groups) if rng.random() < 0.8 else G.GENERAL,
                    notice=self.notice,
                )
        self.counts["signups"] += len(signups)
        if activity.starts_at >= self.now:
            return 0
        checked_in = 0
        confirmed = SignUp.objects.filter(activity=activity, status=c.SignUpStatus.CONFIRMED)
        for code in confirmed.order_by("pk").values_list("ticket_code", flat=True):
            if rng.random() < 0.85:
                door = activity.starts_at + datetime.timedelta(minutes=rng.randint(-40, 20))
                with clock.frozen(min(self.now, door)):
                    services.check_in(activity, actor=author, code=code)
                checked_in += 1
        return checked_in

    def phone(self, taken: set[str]) -> str:
        while True:
            phone = pii.normalize_phone(
                f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
            )
            if phone not in taken:
                pii.validate_mobile(phone)
                taken.add(phone)
                return phone

    def report(self, activity, checked_in, author) -> None:
        """Most ended activities have their report; some came late, some are overdue."""
        rng = self.rng
        due_end = self.at(activity.report_due, 23, 59)
        window = report_window(rng, self.now, activity.ends_at, due_end, overdue=0.15)
        if window is None:
            return
        filed = self.between(*window)
        onsite, views = report_reach(rng, activity.kind, activity.expected_audience, checked_in)
        effect = rng.choice(EFFECTS).format(m=rng.randint(1, 20) * 50, k=rng.randint(20, 300))
        local_day = timezone.localtime(activity.starts_at).date()
        where = "线上" if activity.kind == K.LIVE else activity.region.name
        reach = f"线上观看{views}人次" if activity.kind == K.LIVE else f"现场参与{onsite}人次"
        with clock.frozen(filed):
            services.file_report(
                activity,
                actor=author,
                onsite_attendance=onsite,
                online_views=views,
                volunteers_served=rng.randint(0, activity.volunteers_needed + 2),
                summary=(
                    f"{_md(local_day)}，{activity.organization.name}在{where}举办"
                    f"“{activity.title}”，{reach}。{effect}。"
                ),
                links=(
                    f"https://news.example.cn/kepu/{self.year}/{activity.uid.hex[:10]}.html"
                    if rng.random() < 0.4
                    else ""
                ),
            )
        self.counts["reports"] += 1
