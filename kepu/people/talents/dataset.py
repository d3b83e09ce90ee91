"""Talent evaluation and the high-level talent service at benchmark scale (called from
`kepu.people.dataset.generate`): 50k high-level talents with 200k service records, and a
published province round of 20k applications (frozen figures, one score sheet each, the
ranking). Derived columns (last contact, open needs, mean score, rank, the round's count)
are written consistent with the rows, as the services keep them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kepu.core.dataset import Dataset
from kepu.core.models import User
from kepu.people.choices import HIGH_LEVEL_TITLES
from kepu.people.models import (
    ApplicationScore,
    EvaluationRound,
    HighLevelTalent,
    Person,
    ServiceRecord,
    TalentApplication,
)
from kepu.people.talents import choices as c

TALENTS = 50_000
SERVICES = 200_000
APPLICATIONS = 20_000
AWARDED, NOT_AWARDED = c.ApplicationStatus.AWARDED, c.ApplicationStatus.NOT_AWARDED
ROUND_NAME = "基准数据集天府科普使者评选"


def generate(ds: Dataset) -> None:
    ds.step("high-level talents and service records", lambda: _talents(ds))
    ds.step("talent evaluation round and applications", lambda: _round(ds))


def _n(ds, full) -> int:
    return max(1, round(full * ds.factor))


def _talents(ds: Dataset) -> int:
    taken = set(HighLevelTalent.objects.values_list("person_id", flat=True))
    rows = [
        r
        for r in Person.objects.filter(title_level__in=HIGH_LEVEL_TITLES, erased_at=None)
        .order_by("pk")
        .values_list("pk", "region_id")
        if r[0] not in taken
    ]
    ds.rng.shuffle(rows)
    rows = rows[: _n(ds, TALENTS)]
    contacts = dict(
        User.objects.filter(role_assignments__role="officer")
        .values_list("role_assignments__region_id", "pk")
        .order_by("pk")
    )
    ids = iter(ds.ids(HighLevelTalent, len(rows)))
    record_ids = iter(ds.ids(ServiceRecord, _n(ds, SERVICES) + len(rows)))
    per_talent = _n(ds, SERVICES) / max(1, len(rows))
    kinds = list(c.ServiceKind)
    talents, records = [], []
    for person, region in rows:
        pk = next(ids)
        since = ds.today - datetime.timedelta(days=ds.rng.randrange(100, 1500))
        n = ds.rng.choices(range(9), weights=[2, 2, 2, 2, 1, 1, 0.5, 0.3, 0.2])[0]
        n = round(n * per_talent / 2.8) if per_talent else 0
        last, open_needs, day = None, 0, since
        for _ in range(n):
            day = day + datetime.timedelta(days=ds.rng.randrange(10, 120))
            if day >= ds.today:
                break
            kind = ds.rng.choice(kinds)
            is_open = kind == c.ServiceKind.NEED and ds.rng.random() < 0.4
            open_needs += is_open
            last = day
            records.append(
                {
                    "id": next(record_ids),
                    "talent_id": pk,
                    "date": day,
                    "kind": kind,
                    "summary": "走访座谈" if kind == c.ServiceKind.VISIT else "科普服务事项",
                    "is_open": is_open,
                    "resolved_on": None
                    if is_open or kind != c.ServiceKind.NEED
                    else min(ds.today, day + datetime.timedelta(days=30)),
                    "created_at": ds.now,
                }
            )
        talents.append(
            {
                "id": pk,
                "person_id": person,
                "region_id": region,
                "category": ds.rng.choice(c.TalentCategory.values),
                "contact_id": contacts.get(region),
                "since": since,
                "note": "",
                "is_active": True,
                "last_contact_on": last,
                "open_needs": open_needs,
            }
        )
    return ds.insert(HighLevelTalent, talents) + ds.insert(ServiceRecord, records)


def _round(ds: Dataset) -> int:
    from kepu.people.talents.sources import talent_evaluation_criteria
    from kepu.rubrics import services as rubric_services

    if EvaluationRound.objects.filter(name=ROUND_NAME).exists():
        return 0
    reviewer = User.objects.filter(username="demo-province").first() or User.objects.first()
    rubric = rubric_services.create_rubric(
        actor=None,
        name="基准数据集科普人才评价细则",
        purpose="other",
        region=ds.province,
        criteria=talent_evaluation_criteria(),
        activate=True,
    )
    year = ds.today.year
    rnd = EvaluationRound.objects.create(
        name=ROUND_NAME,
        region=ds.province,
        kind=c.RoundKind.HONOUR,
        honour="tianfu",
        year=year,
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 3, 31),
        quota=500,
        rubric=rubric,
        status=c.RoundStatus.PUBLISHED,
        published_at=ds.now,
    )
    people = list(
        Person.objects.filter(erased_at=None)
        .order_by("pk")
        .values_list("pk", "region_id", "organization_id")[: _n(ds, APPLICATIONS)]
    )
    scored = []
    for person, region, org in people:
        hours = ds.rng.randrange(0, 600)
        manual = ds.rng.randint(10, 40)
        total = Decimal(min(100, manual + hours // 15)).quantize(Decimal("0.01"))
        scored.append((total, person, region, org, hours, manual))
    scored.sort(key=lambda row: (-row[0], row[1]))
    ids = iter(ds.ids(TalentApplication, len(scored)))
    sheet_ids = iter(ds.ids(ApplicationScore, len(scored)))
    apps, sheets = [], []
    for rank, (total, person, region, org, hours, manual) in enumerate(scored, start=1):
        pk = next(ids)
        awarded = rank <= rnd.quota and total >= rnd.pass_mark
        submitted = ds.moment(300)
        apps.append(
            {
                "id": pk,
                "round_id": rnd.pk,
                "person_id": person,
                "region_id": region,
                "organization_id": org,
                "statement": "长期从事科普工作。",
                "status": AWARDED if awarded else NOT_AWARDED,
                "evidence": [{"source": "volunteering", "title": "志愿服务", "date": "",
                              "amount": str(hours), "detail": ""}],
                "figures": {"hours": str(hours), "works": "0", "activities": "0"},
                "submitted_at": submitted,
                "recommended_at": submitted,
                "score": total,
                "sheet_count": 1 if reviewer else 0,
                "rank": rank,
                "decided_at": ds.now,
                "created_at": submitted,
            }
        )  # fmt: skip
        if reviewer is not None:
            sheets.append(
                {
                    "id": next(sheet_ids),
                    "application_id": pk,
                    "reviewer_id": reviewer.pk,
                    "rubric_id": rubric.pk,
                    "values": {"quality": str(manual)},
                    "lines": {},
                    "total": total,
                    "grade": "pass",
                    "submitted_at": ds.now,
                }
            )
    count = ds.insert(TalentApplication, apps) + ds.insert(ApplicationScore, sheets)
    EvaluationRound.objects.filter(pk=rnd.pk).update(application_count=len(apps))
    return count
