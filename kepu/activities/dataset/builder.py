"""The planner of the benchmark dataset: campaigns, facilities and activities with their
workflow state (see the package docstring)."""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kepu.activities import choices as c
from kepu.activities.dataset.constants import (
    BENCH,
    BRAND_HOSTS,
    CAMPAIGN_SHARE,
    CAPACITIES,
    DAYS_AHEAD,
    DAYS_BACK,
    FUTURE_SHARE,
    OFFICERS,
    REASONS,
    SCHOOLS,
    SIGNUP_SHARE,
    STATUS_DRAW,
    D,
    K,
    S,
)
from kepu.activities.dataset.rows import _Rows
from kepu.activities.demo import (  # the demo's vocabularies
    BRAND,
    CANCEL_REASONS,
    CENTRES,
    COUNTY_A,
    COUNTY_B,
    CROPS,
    FACILITIES,
    GROUP_NAMES,
    KIND_NAMES,
    LABS,
    LECTURES,
    MEMBER_UNIT,
    ROADS,
    SHOWS,
    SIGNUP_KINDS,
    SKIES,
    TEMPLATES,
    VENUES,
    _campaign_specs,
    _nth_weekday,
)
from kepu.activities.models import (
    Activity,
    Campaign,
    MobileFacility,
    SignUp,
)
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import NoticePurpose, OrgType
from kepu.core.choices import Topic as T
from kepu.core.dataset import CITY_WEIGHTS, Dataset, new_uuid
from kepu.core.models import Organization, PrivacyNotice, User
from kepu.core.search import search_text


class _Builder(_Rows):
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rng = ds.rng
        self.now = ds.now
        self.today = ds.today
        self.tz = timezone.get_current_timezone()
        self.first_day = self.today - datetime.timedelta(days=DAYS_BACK)
        self.last_day = self.today + datetime.timedelta(days=DAYS_AHEAD)
        self.report_delta = datetime.timedelta(days=settings.KEPU_ACTIVITY_REPORT_DAYS)
        regions = [ds.province, *ds.cities, *ds.counties]
        regions += [t for towns in ds.townships.values() for t in towns]
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.paths = {code: r.path for code, r in self.by_code.items()}
        # Organizers: by county (schools apart), by city, the province's own.
        self.org_names: dict[int, str] = {}
        self.org_region: dict[int, int] = {}
        self.schools: dict[str, list[int]] = {}
        self.others: dict[str, list[int]] = {}
        self.city_orgs: dict[str, list[int]] = {}
        self.province_orgs: list[int] = []
        self.org_by_name: dict[str, int] = {}
        orgs = Organization.objects.filter(
            region__path__startswith=ds.province.path, is_active=True
        ).order_by("pk")
        for pk, name, org_type, region_id, path in orgs.values_list(
            "pk", "name", "org_type", "region_id", "region__path"
        ):
            self.org_names[pk] = name
            self.org_region[pk] = region_id
            self.org_by_name.setdefault(name, pk)
            codes = [p for p in path.split("/") if p]
            if len(codes) >= 3:
                pool = self.schools if org_type == OrgType.SCHOOL else self.others
                pool.setdefault(codes[2], []).append(pk)
            elif len(codes) == 2:
                self.city_orgs.setdefault(codes[1], []).append(pk)
            else:
                self.province_orgs.append(pk)
        self.member_unit = self.org_by_name.get(MEMBER_UNIT)
        usernames = [u for _code, u in OFFICERS] + ["demo-province", "demo-member"]
        self.users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        notice = PrivacyNotice.current(NoticePurpose.SIGNUP)
        self.notice = notice.pk if notice else None
        self.activity_rows: list[dict] = []
        self.tags: list[tuple[int, str, str]] = []
        self.decisions: list[dict] = []
        self.reports: list[dict] = []
        # Sign-ups are generated twice from one seed per activity: once for the counters
        # (before the activity is written), once as rows (streamed, not held in memory).
        self.signup_jobs: list[tuple] = []
        self.tickets: set[str] = set(SignUp.objects.values_list("ticket_code", flat=True))
        self.bench_ids: list[int] = []
        self.search_parts: dict[str, str] = {}

    # --- helpers -----------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def between(self, start, end, rng=None):
        return start + (end - start) * (rng or self.rng).random()

    def county_of(self, region):
        return region if region.level <= 3 else self.by_id[region.parent_id]

    def place_name(self, region) -> str:
        """City, county and township names, without the province."""
        return "".join(self.by_code[code].name for code in region.ancestor_codes[1:])

    def search_text(self, row) -> str:
        """`search_text(title, organizer's name, brand, address)` as the service builds
        it, from each field's own part (" | "-joined, empty fields left out, as
        `search_text` does): the parts of repeated titles, names and address pieces are
        computed once."""
        parts = self.search_parts
        fields = (row["title"], self.org_names[row["organization_id"]], row["brand"])
        out = []
        for text in fields:
            if text:
                part = parts.get(text)
                if part is None:
                    part = parts[text] = search_text(text)
                out.append(part)
        if row["address"]:
            # The address in pieces that meet where a token run ends (CJK next to
            # digits), so its tokens are the pieces' tokens in turn.
            tokens = []
            for piece in row.pop("_address", None) or (row["address"],):
                part = parts.get(piece)
                if part is None:
                    part = parts[piece] = search_text(piece)
                if part:
                    tokens.append(part)
            out.append(" ".join(tokens))
        return " | ".join(out)

    def officer(self, region) -> int | None:
        """The most local demo officer whose region holds `region` (they review it)."""
        for code, username in OFFICERS:
            if region.path.startswith(self.paths[code]):
                return self.users.get(username)
        return self.users.get("demo-province")

    def organizer(self, region, *, youth: bool) -> int:
        """Most often an organization of the activity's county (a school mainly for young
        people), sometimes one of its city or of the province."""
        rng = self.rng
        county = self.county_of(region)
        roll = rng.random()
        if roll < 0.02 and self.province_orgs:
            return rng.choice(self.province_orgs)
        city = self.city_orgs.get(county.code[:4])
        if roll < 0.06 and city:
            return rng.choice(city)
        schools = self.schools.get(county.code, [])
        others = self.others.get(county.code, [])
        if youth and schools and (rng.random() < 0.6 or not others):
            return rng.choice(schools)
        if others:
            return rng.choice(others)
        return rng.choice(schools or city or self.province_orgs)

    def recent_day(self) -> datetime.date:
        """A day of the window: upcoming days for a few (fewer the further ahead), past
        days more often the more recent (the platform grows)."""
        rng = self.rng
        if rng.random() < FUTURE_SHARE:
            ahead = 1 + int((DAYS_AHEAD - 1) * (1 - math.sqrt(1 - rng.random())))
            day = self.today + datetime.timedelta(days=ahead)
        else:
            x = -1 + math.sqrt(1 + 3 * rng.random())  # density ∝ 1 + x on [0, 1]
            day = self.first_day + datetime.timedelta(days=int(x * DAYS_BACK))
        if day.weekday() < 5 and rng.random() < 0.35:  # many activities are at weekends
            moved = day + datetime.timedelta(days=5 - day.weekday())
            if moved <= self.last_day:
                day = moved
        return day

    # --- campaigns and facilities ------------------------------------------------------

    def campaigns(self) -> int:
        """Every year's campaigns (the demo's) that overlap the window, organized by the
        province."""
        rng = self.rng
        self.specs = []
        for year in range(self.first_day.year, self.last_day.year + 1):
            for spec in _campaign_specs(year):
                if spec["key"] == "last_science_day":  # the previous year's own row
                    continue
                if spec["end"] < self.first_day or spec["start"] > self.last_day:
                    continue
                self.specs.append(spec)
        existing = dict(Campaign.objects.filter(region=self.ds.province).values_list("name", "pk"))
        ids = iter(self.ds.ids(Campaign, len(self.specs)))
        rows = []
        for spec in self.specs:
            if spec["name"] in existing:
                spec["id"] = existing[spec["name"]]
                continue
            spec["id"] = next(ids)
            announced = spec["start"] - datetime.timedelta(days=rng.randint(20, 60))
            rows.append(
                {
                    "id": spec["id"],
                    "name": spec["name"],
                    "kind": spec["kind"],
                    "year": spec["start"].year,
                    "theme": spec["theme"],
                    "start_date": spec["start"],
                    "end_date": spec["end"],
                    "region_id": self.ds.province.pk,
                    "description": spec["description"],
                    "created_at": min(self.at(announced, 10, rng.choice((0, 30))), self.now),
                }
            )
        # Activities join a campaign by its weight and the share of its days in the window.
        self.joinable = []
        for spec in self.specs:
            start, end = max(spec["start"], self.first_day), min(spec["end"], self.last_day)
            share = ((end - start).days + 1) / ((spec["end"] - spec["start"]).days + 1)
            if spec["weight"] and end >= start:
                self.joinable.append((spec, start, end, spec["weight"] * share))
        return self.ds.insert(Campaign, rows)

    def campaign_day(self, spec, start, end) -> datetime.date:
        if spec["kind"] == c.CampaignKind.SCIENCE_DAY and self.rng.random() < 0.4:
            weekend = _nth_weekday(spec["start"].year, 9, 5, 3)  # the 科普日 weekend itself
            day = weekend + datetime.timedelta(days=self.rng.randint(0, 1))
            if start <= day <= end:
                return day
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def campaign_for(self, day, keys) -> int | None:
        for spec in self.specs:
            if spec["key"] in keys and spec["start"] <= day <= spec["end"]:
                return spec["id"]
        return None

    def facilities(self) -> int:
        """The demo's two province-wide facilities, and a science caravan of each big
        city (of all cities from city scale up)."""
        ds, rng = self.ds, self.rng
        self.fleet = []  # [id, name, kind, operator, description, counties it tours]
        outside = [r for r in ds.counties if not r.code.startswith("5101")]
        rural = [r for r in outside if r.name.endswith("县")] or outside
        for name, kind, operator, description in FACILITIES:
            org = self.org_by_name.get(operator)
            if org is None:
                continue
            caravan = kind == c.FacilityKind.CARAVAN
            pool = rural if caravan else [r for r in outside if r.code != COUNTY_B]
            self.fleet.append([name, kind, org, description, pool])
        cities = sorted(ds.cities, key=lambda r: (-CITY_WEIGHTS.get(r.code, 1), r.code))
        n = min(len(cities), max(1, round(len(cities) * min(1.0, ds.factor * 10))))
        for city in cities[:n]:
            counties = [r for r in ds.counties if r.code.startswith(city.code)]
            if len(counties) < 2:
                continue
            home = city  # run by the city's science association, else by a county's
            org = self.org_by_name.get(f"{city.name}科学技术协会")
            if org is None:
                home = counties[0]
                org = self.org_by_name.get(f"{home.name}科学技术协会")
            if org is None:
                continue
            self.fleet.append(
                [
                    f"{home.name}科普大篷车",
                    c.FacilityKind.CARAVAN,
                    org,
                    f"{home.name}科协科普大篷车，车载互动展品30余件，常年深入"
                    f"{city.name}各区县的乡镇、学校和社区巡回展出。",
                    counties,
                ]
            )
        ids = ds.ids(MobileFacility, len(self.fleet))
        rows = []
        for pk, facility in zip(ids, self.fleet, strict=True):
            name, kind, org, description, _pool = facility
            facility.insert(0, pk)
            rows.append(
                {
                    "id": pk,
                    "name": name,
                    "kind": kind,
                    "organization_id": org,
                    "region_id": self.org_region[org],
                    "description": description,
                    "created_at": self.at(
                        self.first_day - datetime.timedelta(days=rng.randint(30, 400)), 10
                    ),
                }
            )
        return ds.insert(MobileFacility, rows)

    # --- activities ----------------------------------------------------------------------

    def activities(self) -> int:
        self.next_id = self.ds.ids(Activity, 1).start
        self.plan_bench()
        self.plan_tours()
        self.plan_brand()
        self.plan_member_unit()
        remaining = max(self.ds.size("activities") - len(self.activity_rows), 0)
        self.plan_regular(remaining)
        return self.ds.insert(Activity, self.activity_rows)

    def plan_bench(self) -> None:
        """The load test's activities: published, upcoming, in 锦江区, many places."""
        county = self.by_code[COUNTY_A]
        org = self.org_by_name.get("锦江区科学技术协会") or self.organizer(county, youth=False)
        for title, kind, places, ahead, arrivals in BENCH:
            day = self.today + datetime.timedelta(days=ahead)
            starts_at, ends_at = self.times(day, kind, title)
            row = self.new_activity(
                title=title,
                organization_id=org,
                campaign_id=None,
                kind=kind,
                region=county,
                starts_at=starts_at,
                ends_at=ends_at,
                volunteers_needed=20,
            )
            row["address"] = f"{self.place_name(county)}东大街{self.rng.randint(1, 300)}号"
            row["capacity"] = places
            row["signup_required"] = True
            row["expected_audience"] = places
            row["description"] = (
                f"本次活动由{self.org_names[org]}主办，面向社会公众，免费开放，"
                "请提前在线报名，凭二维码入场。"
            )
            self.coordinates(row, county, always=True)
            self.finish(
                row, [T.AI, T.SPACE], [G.GENERAL, G.YOUTH], status=S.PUBLISHED, arrivals=arrivals
            )
            self.bench_ids.append(row["id"])

    def plan_tours(self) -> None:
        """Each facility's stops over the window: consecutive, never overlapping, in
        different counties; the last two or three ahead still being planned."""
        rng = self.rng
        for pk, name, kind, org, description, pool in self.fleet:
            caravan = kind == c.FacilityKind.CARAVAN
            length = (2, 3) if caravan else (21, 30)
            gap = (18, 30) if caravan else (6, 12)
            day = self.first_day + datetime.timedelta(days=rng.randint(0, gap[1]))
            number, ahead, last_county = 0, 0, None
            while day <= self.last_day:
                number += 1
                county = rng.choice(pool)
                if county is last_county and len(pool) > 1:
                    county = rng.choice([x for x in pool if x is not last_county])
                last_county = county
                if not caravan and number % 9 == 4 and COUNTY_B in self.by_code:
                    county = self.by_code[COUNTY_B]  # the museum also visits 涪城区
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
                if ends_at < self.now:
                    status = S.PUBLISHED
                else:
                    status = (
                        (S.PUBLISHED, S.PUBLISHED, S.SUBMITTED)[ahead] if ahead < 3 else S.DRAFT
                    )
                    ahead += 1
                row = self.new_activity(
                    title=title,
                    organization_id=org,
                    campaign_id=self.campaign_for(
                        day, ("science_day", "tech_week", "science_week")
                    ),
                    kind=K.TOUR_STOP,
                    region=county,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    volunteers_needed=rng.choice((5, 8, 10, 12)),
                )
                row["facility_id"] = pk
                row["address"] = f"{self.place_name(county)}{venue}"
                row["expected_audience"] = audience
                row["description"] = f"{name}第{number}站。{description}"
                self.coordinates(row, county, always=True)
                self.finish(row, [T.SPACE, T.AI, T.HEALTH], [G.YOUTH, G.FARMERS], status=status)
                day += datetime.timedelta(days=days + rng.randint(*gap))

    def plan_brand(self) -> None:
        """天府科技云讲堂: an evening live lecture twice a month."""
        rng = self.rng
        hosts = [self.org_by_name[n] for n in BRAND_HOSTS if n in self.org_by_name]
        if not hosts:
            return
        brand = {spec["start"].year: spec["id"] for spec in self.specs if spec["key"] == "brand"}
        day = self.first_day + datetime.timedelta(days=rng.randint(0, 14))
        while day <= self.last_day:
            org = rng.choice(hosts)
            lecture, topics = rng.choice(LECTURES)
            row = self.new_activity(
                title=f"{BRAND}·{lecture}",
                organization_id=org,
                campaign_id=brand.get(day.year),
                kind=K.LIVE,
                region=self.by_id[self.org_region[org]],
                starts_at=self.at(day, 19, 30),
                ends_at=self.at(day, 21),
                volunteers_needed=0,
            )
            row["address"] = "线上直播"
            row["online_url"] = f"https://live.example.cn/tianfu/{day:%Y%m%d}"
            row["expected_audience"] = rng.randint(20, 300) * 100
            row["brand"] = BRAND
            row["description"] = f"{BRAND}邀请专家围绕“{lecture}”线上开讲，并在线答疑。"
            self.finish(row, list(topics), [G.GENERAL, G.YOUTH, G.OFFICIALS])
            day += datetime.timedelta(days=rng.randint(12, 18))

    def plan_member_unit(self) -> None:
        """四川省教育厅 (the demo-member account's unit) in both persona counties: held
        activities in every year of the window (half of the published ones with sign-up
        and check-in), upcoming ones in every status (taking sign-ups once published)."""
        if self.member_unit is None:
            return
        rng = self.rng
        past = [S.PUBLISHED, S.PUBLISHED, S.PUBLISHED, S.PUBLISHED, S.CANCELLED, S.REJECTED]
        ahead = [S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.RETURNED, S.PUBLISHED, S.PUBLISHED]
        ahead += [S.REJECTED, S.CANCELLED]
        for code in (COUNTY_A, COUNTY_B):
            county = self.by_code[code]
            towns = self.ds.townships.get(county.pk, [])
            for year in range(self.first_day.year, self.today.year + 1):
                start = max(self.first_day, datetime.date(year, 1, 1))
                end = min(self.today - datetime.timedelta(days=2), datetime.date(year, 12, 31))
                if end < start:
                    continue
                for status in past:
                    day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
                    region = rng.choice([*towns, county])
                    template = rng.choice(TEMPLATES["education"])
                    self.regular(
                        region,
                        day,
                        None,
                        template,
                        org=self.member_unit,
                        status=status,
                        signup=status == S.PUBLISHED and rng.random() < 0.5,
                    )
            for status in ahead:
                day = self.today + datetime.timedelta(days=rng.randint(2, 40))
                region = rng.choice([*towns, county])
                template = rng.choice(TEMPLATES["education"])
                self.regular(
                    region, day, None, template, org=self.member_unit, status=status, signup=True
                )

    def plan_regular(self, count: int) -> None:
        rng = self.rng
        weights = [w for _s, _a, _b, w in self.joinable]
        for _i in range(count):
            region = self.ds.place()
            if self.joinable and rng.random() < CAMPAIGN_SHARE:
                spec, start, end, _w = rng.choices(self.joinable, weights=weights)[0]
                day = self.campaign_day(spec, start, end)
                self.regular(region, day, spec, self.template_for(spec["key"]))
            else:
                self.regular(region, self.recent_day(), None, self.template_for(None))

    def template_for(self, key: str | None):
        themed = TEMPLATES.get(key) if key else None
        if themed and self.rng.random() < 0.7:
            return self.rng.choice(themed)
        return self.rng.choice(TEMPLATES["generic"])

    # --- one activity --------------------------------------------------------------------

    def new_activity(self, *, region, **fields) -> dict:
        pk = self.next_id
        self.next_id += 1
        row = {
            "id": pk,
            "uid": new_uuid(self.rng),
            "region_id": region.pk,
            "address": "",
            "latitude": None,
            "longitude": None,
            "online_url": "",
            "capacity": None,
            "signup_required": False,
            "expected_audience": 0,
            "brand": "",
            "description": "",
            "facility_id": None,
            **fields,
        }
        row["_region"] = region
        return row

    def regular(self, region, day, spec, template, *, org=None, status=None, signup=False) -> None:
        rng = self.rng
        title, kind, topics, groups = template
        # Only the placeholders of this template are drawn.
        lab = lecture = school = ""
        if "{lab}" in title:
            lab, lab_county = rng.choice(LABS)
            if lab_county in self.by_code:  # held at the laboratory
                region = self.by_code[lab_county]
        county = self.county_of(region)
        if "{lecture}" in title:
            lecture, lecture_topics = rng.choice(LECTURES)
            topics = topics + lecture_topics
        if "{school}" in title:
            school = f"{county.name}{rng.choice(SCHOOLS)}"
        if "{" in title:
            title = title.format(
                place=region.name,
                lab=lab,
                show=rng.choice(SHOWS) if "{show}" in title else "",
                crop=rng.choice(CROPS) if "{crop}" in title else "",
                sky=rng.choice(SKIES) if "{sky}" in title else "",
                lecture=lecture,
                school=school,
                theme=spec["theme"] if spec else "",
            )
        org = org or self.organizer(region, youth=G.YOUTH in groups)
        starts_at, ends_at = self.times(day, kind, title)
        row = self.new_activity(
            title=title,
            organization_id=org,
            campaign_id=spec["id"] if spec else None,
            kind=kind,
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            volunteers_needed=rng.choice((0, 0, 2, 3, 5, 8, 10, 15)),
        )
        if kind == K.LIVE:
            row["address"] = "线上直播"
            row["online_url"] = f"https://live.example.cn/kepu/{row['uid'].hex[:12]}"
            row["expected_audience"] = rng.randint(5, 200) * 100
        else:
            venue = rng.choice(VENUES[kind])
            if "{school}" in template[0] or "{lab}" in template[0]:
                venue = school if "{school}" in template[0] else lab
            pieces = (
                f"{self.place_name(region)}{rng.choice(ROADS)}",
                str(rng.randint(1, 300)),
                f"号{venue}",
            )
            row["address"], row["_address"] = "".join(pieces), pieces
            if rng.random() < 0.45:
                self.coordinates(row, county)
            audience = {K.EXHIBITION: (300, 3000), K.OPEN_DAY: (100, 800), K.SHOW: (100, 500)}
            row["expected_audience"] = rng.randint(*audience.get(kind, (30, 300)))
        if kind in SIGNUP_KINDS and (signup or rng.random() < SIGNUP_SHARE):
            row["signup_required"] = True
            row["capacity"] = rng.choice(CAPACITIES)
            row["expected_audience"] = row["capacity"]
        elif kind != K.LIVE and rng.random() < 0.25:
            row["capacity"] = rng.choice((100, 200, 300, 500))
        who = "、".join(GROUP_NAMES[g] for g in groups)
        row["description"] = (
            f"本次活动由{self.org_names[org]}主办，面向{who}，"
            f"以{KIND_NAMES[kind]}的形式普及科学知识，欢迎参加。"
        )
        picked_groups = rng.sample(groups, rng.randint(1, len(groups)))
        picked_topics = rng.sample(topics, min(len(topics), rng.randint(1, 2))) if topics else []
        self.finish(row, picked_topics, picked_groups, status=status)

    def times(self, day, kind, title):
        rng = self.rng
        if kind == K.EXHIBITION:
            return self.at(day, 9), self.at(day + datetime.timedelta(days=rng.randint(0, 6)), 17)
        if kind in (K.OPEN_DAY, K.LAB_OPEN):
            return self.at(day, 9), self.at(day, 16, 30)
        if kind == K.LIVE or "天文" in title or "科学之夜" in title:
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

    def coordinates(self, row, county, *, always=False) -> None:
        city = county.code[:4]
        if not always and city not in CENTRES:
            return
        lat, lng = CENTRES.get(city, CENTRES["5101"])
        spread = 0.12 if city == "5101" else 0.3
        row["latitude"] = Decimal(f"{lat + self.rng.uniform(-spread, spread):.6f}")
        row["longitude"] = Decimal(f"{lng + self.rng.uniform(-spread, spread):.6f}")

    def steps(self, status) -> list[str]:
        """The workflow steps (submissions and decisions) that end in `status`."""
        r = self.rng.random()
        if status == S.DRAFT:
            return []
        if status == S.SUBMITTED:
            return ["submit"] if r < 0.75 else ["submit", D.RETURNED, "submit"]
        if status == S.RETURNED:
            return ["submit", D.RETURNED] if r < 0.8 else ["submit", D.RETURNED] * 2
        if status == S.REJECTED:
            return (
                ["submit", D.REJECTED] if r < 0.75 else ["submit", D.RETURNED, "submit", D.REJECTED]
            )
        if r < 0.76:
            return ["submit", D.APPROVED]
        if r < 0.95:
            return ["submit", D.RETURNED, "submit", D.APPROVED]
        return ["submit", D.RETURNED, "submit", D.RETURNED, "submit", D.APPROVED]

    def finish(self, row, topics, groups, *, status=None, arrivals=None) -> None:
        """Search text, status and review history, tags, sign-ups and report."""
        rng = self.rng
        region = row.pop("_region")
        row["search_text"] = self.search_text(row)
        future = row["starts_at"] > self.now
        if status is None:
            statuses, cum = STATUS_DRAW[future]
            status = rng.choices(statuses, cum_weights=cum)[0]
        officer = self.officer(region)
        member = row["organization_id"] == self.member_unit
        author = self.users.get("demo-member") if member else officer
        row["created_by_id"] = author

        lead = datetime.timedelta(days=rng.randint(7, 45), hours=rng.randint(0, 23))
        created = row["starts_at"] - lead
        if created > self.now - datetime.timedelta(hours=2):
            created = self.now - datetime.timedelta(hours=rng.randint(2, 240))
        limit = min(self.now, row["starts_at"]) - datetime.timedelta(hours=1)
        row["created_at"] = created

        before_cancel = status
        if status == S.CANCELLED:
            before_cancel = rng.choices(
                (S.PUBLISHED, S.SUBMITTED, S.DRAFT, S.RETURNED), weights=(60, 15, 15, 10)
            )[0]
        steps = self.steps(before_cancel)
        stamps = sorted(self.between(created, limit) for _s in steps)
        last = created
        row.update(submitted_at=None, reviewed_at=None, reviewed_by_id=None, review_note="")
        row["report_due"] = None
        for step, when in zip(steps, stamps, strict=True):
            last = when
            if step == "submit":
                row["submitted_at"] = when
                continue
            reason = rng.choice(REASONS[step]) if step in REASONS else ""
            self.decisions.append(
                {
                    "activity_id": row["id"],
                    "decision": step,
                    "reason": reason,
                    "decided_by_id": officer,
                    "decided_at": when,
                }
            )
            row["reviewed_at"], row["reviewed_by_id"], row["review_note"] = when, officer, reason
            if step == D.APPROVED:
                # ends_at is in local time already (made by `at`)
                row["report_due"] = row["ends_at"].date() + self.report_delta
        row["status"] = status
        row["updated_at"] = last
        if status == S.CANCELLED:
            row["review_note"] = rng.choice(CANCEL_REASONS)
            row["updated_at"] = self.between(last, max(last, limit))
        row["confirmed_count"] = row["waiting_count"] = 0
        self.activity_rows.append(row)
        for g in sorted(set(groups)):
            self.tags.append((row["id"], c.TagKind.GROUP, g))
        for t in sorted(set(topics)):
            self.tags.append((row["id"], c.TagKind.TOPIC, t))
        if status != S.PUBLISHED:
            return
        checked_in = 0
        if row["signup_required"]:
            seed = rng.getrandbits(64)
            records = self.simulate(random.Random(seed), row, last, arrivals)
            if records:
                confirmed = [r for r in records if r[1] == c.SignUpStatus.CONFIRMED]
                row["confirmed_count"] = len(confirmed)
                row["waiting_count"] = sum(1 for r in records if r[1] == c.SignUpStatus.WAITING)
                checked_in = sum(1 for r in confirmed if r[4] is not None)
                self.signup_jobs.append((row, seed, last, arrivals, sorted(set(groups)), author))
        if row["ends_at"] < self.now:
            self.report(row, region, checked_in, author)
