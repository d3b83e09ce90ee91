"""Test data of the review area. The calls and entries slices' services are not there
yet, so a call in `reviewing` with `eligible` entries is written directly with the
models; the pool, people and rubric go through their own apps' services."""

from __future__ import annotations

import datetime

from kepu.core import clock
from kepu.core.choices import OrgType, Role
from kepu.core.models import Organization, Region, RoleAssignment, User
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry

RUBRIC_NAME = "天府科普使者评分细则（测试）"
DISCIPLINES = ("140", "180", "310", "320")  # physics, earth sciences, medicine …
TOPICS = ("earthquake", "flood", "epidemic", "health")


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def unit(name: str, region_code: str = "510104") -> Organization:
    found, _created = Organization.objects.get_or_create(
        name=name, defaults={"org_type": OrgType.VENUE, "region": region(region_code)}
    )
    return found


def rubric():
    from kepu.rubrics import choices as rc
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric
    from kepu.selections.presets import tianfu_envoy_criteria

    found = Rubric.objects.filter(name=RUBRIC_NAME, status=rc.RubricStatus.IN_USE).first()
    if found is None:
        found = create_rubric(
            actor=None, name=RUBRIC_NAME, purpose=rc.Purpose.SELECTION, region=region("51"),
            criteria=tianfu_envoy_criteria(), activate=True,
        )  # fmt: skip
    return Rubric.objects.get(pk=found.pk)


def person(name, *, region_code="510104", organization=None, username=None, **fields):
    """A person; with `username`, an account with the reviewer role in Sichuan."""
    from kepu.people.models import Person

    account = None
    if username:
        account, created = User.objects.get_or_create(username=username)
        if created:
            RoleAssignment.objects.create(user=account, role=Role.REVIEWER, region=region("51"))
        found = Person.objects.filter(user=account).first()
        if found:
            return found
    return Person.objects.create(
        name=name, region=region(region_code), organization=organization, user=account, **fields
    )


def pool(name, members):
    """An expert pool of the province with `members` [(person, topics)]."""
    from kepu.people import services as people
    from kepu.people.choices import PoolKind

    made = people.create_pool(actor=None, name=name, kind=PoolKind.SCIENCE, region=region("51"))
    for member, topics in members:
        people.add_pool_member(made, member, actor=None, topics=topics)
    return made


def make_call(*, title="测试评选", expert_pool=None, status=c.CallStatus.REVIEWING, **fields):
    today = clock.today()
    data = dict(
        title=title, kind=c.CallKind.HONOUR, region=region("51"), year=today.year,
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=30),
        rubric=rubric(), pool=expert_pool, reviewers_per_entry=3, min_reviews=2,
        status=status, award_count=3,
    )  # fmt: skip
    data.update(fields)
    return Call.objects.create(**data)


def make_entry(call, nominee, *, title=None, status=c.EntryStatus.ELIGIBLE, **fields):
    data = dict(
        call=call, subject_kind=c.SubjectKind.PERSON, person=nominee,
        organization=nominee.organization, title=title or nominee.name, region=nominee.region,
        route=c.Route.REGION, summary="事迹简介", status=status,
    )  # fmt: skip
    data.update(fields)
    return Entry.objects.create(**data)


def review_setup(prefix="评审", *, reviewers=6, entries=5, k=3, username=None, **call_fields):
    """A call in review with `entries` eligible entries and a pool of `reviewers` experts
    (the first with an account when `username` is given), disciplines and topics spread
    so that matches exist; one expert works at the first nominee's unit (a conflict)."""
    units = [unit(f"{prefix}单位{i}") for i in range(3)]
    experts = []
    for i in range(reviewers):
        experts.append(
            person(
                f"{prefix}专家{i}",
                region_code="510703" if i % 2 else "510104",
                organization=units[i % 3],
                username=username if i == 0 else None,
                discipline=DISCIPLINES[i % len(DISCIPLINES)],
            )
        )
    expert_pool = pool(
        f"{prefix}专家库", [(e, [TOPICS[i % len(TOPICS)]]) for i, e in enumerate(experts)]
    )
    call_fields.setdefault("title", f"{prefix}评选")
    call = make_call(expert_pool=expert_pool, reviewers_per_entry=k, **call_fields)
    made = []
    for i in range(entries):
        nominee = person(f"{prefix}候选人{i}", organization=units[i % 3])
        made.append(
            make_entry(
                call, nominee, discipline=DISCIPLINES[i % len(DISCIPLINES)],
                topic=TOPICS[(i + 1) % len(TOPICS)],
            )
        )  # fmt: skip
    return call, made, experts
