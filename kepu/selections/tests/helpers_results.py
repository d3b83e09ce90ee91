"""Test data of the results area: a call already through its review, made directly with
the models (the earlier steps are the other areas' services), with scored entries of
people of county A (锦江区, 510104) and county B (涪城区, 510703)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kepu.core import clock
from kepu.core.models import Organization, Region
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry

RUBRIC_NAME = "科普评选测试评分细则"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def rubric():
    from kepu.rubrics import choices as rc
    from kepu.rubrics import presets
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    found = Rubric.objects.filter(name=RUBRIC_NAME, status=rc.RubricStatus.IN_USE).first()
    if found is None:
        found = create_rubric(
            actor=None, name=RUBRIC_NAME, purpose=rc.Purpose.SELECTION, region=region("51"),
            criteria=presets.base_recognition_criteria(), activate=True,
        )  # fmt: skip
    return found


def make_call(*, status=c.CallStatus.PANEL, region_code="51", **fields) -> Call:
    today = clock.today()
    data = dict(
        title=f"{today.year}年度“天府科普使者”评选", kind=c.CallKind.HONOUR,
        region=region(region_code), year=today.year, honour="tianfu",
        award_title="天府科普使者", opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30), rubric=rubric(), award_count=2,
        publicity_days=5, status=status, certificate_prefix=f"TF{today.year}-",
        categories=[{"code": "grassroots", "label": "基层科普工作者"}],
    )  # fmt: skip
    data.update(fields)
    return Call.objects.create(**data)


def person(name: str, region_code="510104"):
    from kepu.people.models import Person

    unit = Organization.objects.filter(region__code=region_code).order_by("pk").first()
    return Person.objects.create(name=name, region=region(region_code), organization=unit)


def scored_entry(call, name: str, rank: int, *, region_code="510104", **fields) -> Entry:
    """A scored entry of a new person, `rank` in the corrected ranking."""
    who = person(name, region_code)
    data = dict(
        call=call, subject_kind=c.SubjectKind.PERSON, person=who, organization=who.organization,
        title=name, category="grassroots", region=who.region, route=c.Route.REGION,
        summary="长期扎根基层开展科普。", status=c.EntryStatus.SCORED, reviews_done=3,
        raw_mean=Decimal(90 - rank), corrected=Decimal(1) / rank, raw_rank=rank,
        corrected_rank=rank,
    )  # fmt: skip
    data.update(fields)
    return Entry.objects.create(**data)


def passed(*entries, failed=()) -> dict:
    """A panel result in the review area's contract: the given entries passed."""
    result = {e.pk: {"passed": True, "for": 5, "against": 0, "abstain": 0, "quorum": True}
              for e in entries}  # fmt: skip
    for e in failed:
        result[e.pk] = {"passed": False, "for": 1, "against": 4, "abstain": 0, "quorum": True}
    return result


def later(days: int):
    """A frozen clock `days` after now (to act after the notice)."""
    return clock.frozen(clock.now() + datetime.timedelta(days=days))
