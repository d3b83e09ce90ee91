"""Demo of information officers' work (called by `people.demo.load_demo`): grid officers
and science and technology envoys among the demo people, six months of shared content by
the information officers (through the services, at their moments), the regions' monthly
figures, and the province's feedback for last month. Deterministic and idempotent."""

from __future__ import annotations

import datetime
import random

from kepu.core import clock, periods
from kepu.core.choices import RegionLevel
from kepu.core.models import Organization, Region
from kepu.people import choices as c
from kepu.people import officers as services
from kepu.people.models import OfficerActivity, Person, Registration
from kepu.people.officer_months import compute_month
from kepu.people.services import add_registration

MONTHS = 6
TITLES = [
    "冬季用电安全小常识",
    "地震来了怎么办？一图读懂避险要点",
    "流感高发季，科学防护看这里",
    "识别电信诈骗的五个信号",
    "秸秆还田的科学做法",
    "老年人如何用好智能手机",
    "家庭急救包应该备哪些东西",
    "大熊猫为什么爱吃竹子",
    "暴雨天气出行安全提示",
    "茶园病虫害绿色防控技术",
    "儿童近视防控指南",
    "天宫课堂里的物理知识",
]
CHANNELS = [
    (c.Channel.WECHAT, 40),
    (c.Channel.MOMENTS, 20),
    (c.Channel.KEPU_APP, 15),
    (c.Channel.DOUYIN, 10),
    (c.Channel.WEIBO, 8),
    (c.Channel.QQ, 5),
    (c.Channel.KUAISHOU, 2),
]


def _month_back(today: datetime.date, n: int) -> datetime.date:
    month = today.replace(day=1)
    for _i in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def load(seed: int = 2025, officers=None) -> dict:
    if OfficerActivity.objects.exists():
        return {"activities": 0}
    from kepu.people.demo import _officer_for, _officers

    officers = officers or _officers()
    rng = random.Random(seed + 11)  # noqa: S311 (demo data)
    roles = _roles(rng, officers)
    today = clock.today()
    months = [_month_back(today, n) for n in range(MONTHS - 1, -1, -1)]
    info = list(
        Person.objects.filter(
            registrations__kind=c.RegistrationKind.INFO_OFFICER,
            registrations__status=c.RegistrationStatus.CERTIFIED,
            erased_at__isnull=True,
        )
        .select_related("region")
        .order_by("pk")
    )
    written = 0
    for person in info:
        actor = _officer_for(officers, person.region)
        zeal = rng.random()
        for month in months:
            last = min(
                today,
                (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1),
            )
            for n in range(rng.choice((0, 1, 2, 3, 5)) if zeal > 0.2 else 0):
                day = month + datetime.timedelta(days=rng.randrange(0, last.day))
                views = int(rng.paretovariate(1.3) * 60)
                moment = periods.local_midnight(day) + datetime.timedelta(
                    hours=rng.randrange(8, 22)
                )
                with clock.frozen(min(moment, clock.now())):
                    services.record_activity(
                        person,
                        actor=actor,
                        date=day,
                        channel=rng.choices(
                            [k for k, _w in CHANNELS], weights=[w for _k, w in CHANNELS]
                        )[0],
                        title=rng.choice(TITLES),
                        link=f"https://www.kepuchina.cn/demo/{person.pk}-{month:%Y%m}-{n}",
                        views=views,
                        shares=max(0, int(views * rng.uniform(0.02, 0.15))),
                        client_key=f"demo-{person.pk}-{month:%Y%m}-{n}",
                        source=rng.choice((c.ActivitySource.API, c.ActivitySource.OFFICER)),
                    )
                written += 1
    for month in months:
        compute_month(month)
    province = Region.objects.get(code="51")
    if len(months) > 1:
        with clock.frozen(periods.local_midnight(months[-1]) + datetime.timedelta(hours=10)):
            services.send_feedback(
                province,
                months[-2],
                actor=_officer_for(officers, province),
                note="请各市（州）对照排名，补齐月活短板。",
            )
    return {"activities": written, **roles}


def _roles(rng, officers) -> dict:
    """A few grid officers (at a township) and envoys (with their sending unit)."""
    from kepu.people.demo import _officer_for

    taken = set(
        Registration.objects.filter(
            kind__in=[c.RegistrationKind.GRID_OFFICER, c.RegistrationKind.TECH_ENVOY]
        ).values_list("person_id", flat=True)
    )
    people = list(
        Person.objects.filter(erased_at__isnull=True, region__path__startswith="51/")
        .exclude(pk__in=taken)
        .select_related("region", "organization")
        .order_by("pk")[:400]
    )
    rng.shuffle(people)
    towns: dict[int, list] = {}
    for town in Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith="51/"):
        towns.setdefault(town.parent_id, []).append(town)
    units = list(Organization.objects.filter(region__path__startswith="51/").order_by("pk")[:50])
    grid = envoys = 0
    for person in people[:24]:
        county = person.region if person.region.level == 3 else person.region.parent
        if county is None:
            continue
        actor = _officer_for(officers, person.region)
        start = clock.today() - datetime.timedelta(days=rng.randrange(30, 700))
        if grid <= envoys and towns.get(county.pk):
            town = person.region if person.region.level == 4 else rng.choice(towns[county.pk])
            add_registration(
                person, actor=actor, kind=c.RegistrationKind.GRID_OFFICER, region=town,
                start_date=start,
            )  # fmt: skip
            grid += 1
        elif units:
            add_registration(
                person, actor=actor, kind=c.RegistrationKind.TECH_ENVOY, region=county,
                organization=person.organization or rng.choice(units), start_date=start,
            )  # fmt: skip
            envoys += 1
    return {"grid_officers": grid, "envoys": envoys}
