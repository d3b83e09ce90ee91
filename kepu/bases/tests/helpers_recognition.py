"""Test data of the recognition area, through the services (actor=None: the system)."""

from __future__ import annotations

import datetime

from kepu.bases import choices as bc
from kepu.bases import services
from kepu.bases.tests.helpers import make_unit
from kepu.core import clock
from kepu.core.models import Region, User

RUBRIC_NAME = "四川省科普教育基地认定评分细则（2024版）"
FIGURES = dict(
    legal_person=True, years_open=3, open_days=280, area_m2=1500, staff=12, docents=8,
    visitors=50000,
)  # fmt: skip


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def recognition_rubric():
    from kepu.rubrics import choices as rc
    from kepu.rubrics import presets
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    rubric = Rubric.objects.filter(name=RUBRIC_NAME, status=rc.RubricStatus.IN_USE).first()
    if rubric is None:
        rubric = create_rubric(
            actor=None, name=RUBRIC_NAME, purpose=rc.Purpose.BASE_RECOGNITION,
            region=region("51"), criteria=presets.base_recognition_criteria(), activate=True,
        )  # fmt: skip
    return Rubric.objects.get(pk=rubric.pk)


def expert(name: str, *, username: str | None = None, organization=None):
    """A person (with an account when `username` is given: a reviewer in Sichuan)."""
    from kepu.core.choices import Role
    from kepu.core.models import RoleAssignment
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
        name=name, region=region("51"), user=account, organization=organization
    )


def expert_pool(name="认定测试专家库", *, members=()):
    from kepu.people import services as people
    from kepu.people.choices import PoolKind

    pool = people.create_pool(actor=None, name=name, kind=PoolKind.SCIENCE, region=region("51"))
    for person in members:
        people.add_pool_member(pool, person, actor=None)
    return pool


def make_round(*, pool=None, status="open", region_code="51", **fields):
    today = clock.today()
    data = dict(
        title=f"{today.year}年度四川省科普教育基地认定", year=today.year,
        batch=f"{today.year}年度四川省科普教育基地", number_prefix=f"SCKP-T{today.year}-",
        rubric=recognition_rubric(), pool=pool, opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        recommend_by=today + datetime.timedelta(days=40), panel_size=3, publicity_days=5,
        publicity_working_days=False,
    )  # fmt: skip
    data.update(fields)
    rnd = services.create_round(actor=None, region=region(region_code), **data)
    if status != "draft":
        rnd = services.advance_round(rnd, actor=None)
    return rnd


def apply(rnd, unit_name="锦江区测试科技馆", region_code="510104", **figures):
    unit = make_unit(unit_name, region_code)
    data = {**FIGURES, **figures}
    return services.submit_application(
        rnd, actor=None, organization=unit, category=figures.pop("category", bc.BaseCategory.VENUE),
        statement="本馆常年开放，开展科普活动。",
        **{k: v for k, v in data.items() if k != "category"},
    )  # fmt: skip


def login(username: str):
    from django.test import Client

    from kepu.core.testing import login_client

    return login_client(Client(), username)
