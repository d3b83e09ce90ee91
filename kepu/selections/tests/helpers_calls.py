"""Test data of the calls area: a selection rubric, calls in a given state (through the
calls services), people with certified registrations, entries through `nominate`."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core import clock
from kepu.core.models import Region
from kepu.selections import choices as c
from kepu.selections.services import calls as call_services
from kepu.selections.services import entries as entry_services

RUBRIC_NAME = "测试评选评分细则"
PDF = b"%PDF-1.4 test material"
CATEGORIES = [
    {"code": "research", "label": "科研科普"},
    {"code": "grassroots", "label": "基层科普"},
]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def selection_rubric():
    from kepu.rubrics import choices as rc
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    found = Rubric.objects.filter(name=RUBRIC_NAME, status=rc.RubricStatus.IN_USE).first()
    if found:
        return found
    criteria = [
        dict(code="deeds", group="事迹", name="科普事迹", weight=60, method=rc.Method.MANUAL),
        dict(code="impact", group="成效", name="社会影响", weight=40, method=rc.Method.MANUAL),
    ]
    return create_rubric(
        actor=None, name=RUBRIC_NAME, purpose=rc.Purpose.SELECTION, region=region("51"),
        criteria=criteria, activate=True,
    )  # fmt: skip


def call_fields(**fields) -> dict:
    today = clock.today()
    data = dict(
        title=f"{today.year}年度测试评选", year=today.year, honour="tianfu",
        categories=CATEGORIES,
        routes=["region", "unit", "self"],
        eligibility={"within_region": True, "no_open_flag": True, "max_previous_awards": 0},
        quotas={"per_region": {"default": 3}, "per_category": {}},
        materials=[{"code": "form", "label": "推荐表", "required": True}],
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
        check_by=today + datetime.timedelta(days=45), review_by=today + datetime.timedelta(days=60),
        rubric=selection_rubric(),
    )  # fmt: skip
    data.update(fields)
    return data


def make_call(*, status="open", region_code="51", kind="honour", **fields):
    call = call_services.create_call(
        actor=None, region=region(region_code), kind=kind, **call_fields(**fields)
    )
    for _step in range(c.CALL_FLOW.index(status)):
        call = call_services.advance_call(call, actor=None)
    return call


def person(name, region_code="510104", *, years=3, organization=None, user=None, **fields):
    """A person with a certified registration started `years` ago (None: no registration)."""
    from kepu.people.choices import RegistrationKind, RegistrationStatus
    from kepu.people.models import Person, Registration

    p = Person.objects.create(
        name=name, region=region(region_code), organization=organization, user=user, **fields
    )
    if years is not None:
        Registration.objects.create(
            person=p, kind=RegistrationKind.PART_TIME, status=RegistrationStatus.CERTIFIED,
            region=p.region, start_date=clock.today() - datetime.timedelta(days=366 * years),
        )  # fmt: skip
    return p


def form_file(name="推荐表.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def nominate(call, nominee, *, nominating_region=None, category="research", **fields):
    return entry_services.nominate(
        call, actor=None, route=fields.pop("route", c.Route.REGION), person=nominee,
        category=category, summary=fields.pop("summary", "长期开展科普工作。"),
        materials=fields.pop("materials", {"form": form_file()}),
        nominating_region=nominating_region or nominee.region, **fields,
    )  # fmt: skip
