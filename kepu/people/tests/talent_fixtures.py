"""Shared makers of the talent-evaluation tests and matrix rows (through the services)."""

import datetime

from kepu.core.models import Region
from kepu.people import services as people_services
from kepu.people.talents import services
from kepu.people.talents.sources import talent_evaluation_criteria
from kepu.people.tests.authz import valid_id
from kepu.rubrics import services as rubric_services


def region(code):
    return Region.objects.get(code=code)


def rubric():
    return rubric_services.create_rubric(
        actor=None,
        name="科普人才评价细则",
        purpose="other",
        region=region("51"),
        criteria=talent_evaluation_criteria(),
        activate=True,
    )


def honour_round(*, code="51", status="open", name="2026年天府科普使者评选", **kw):
    rnd = services.create_round(
        actor=None,
        name=name,
        region=region(code),
        kind="honour",
        honour="tianfu",
        year=2026,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
        rubric=rubric(),
        **kw,
    )
    if status in ("open", "reviewing"):
        rnd = services.open_round(rnd, actor=None)
    if status == "reviewing":
        rnd = services.close_round(rnd, actor=None)
    return rnd


def person(name, body, code="510104", **kw):
    return people_services.create_person(
        actor=None, name=name, id_number=valid_id(body), region=region(code), **kw
    )
