"""Registry services: registering, the one-listed-base-per-level rule, dynamic management."""

import datetime

import pytest

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.tests.helpers import make_base
from kepu.core.errors import DomainError, StateConflict

pytestmark = pytest.mark.django_db


def test_register_sets_the_five_year_cycle_and_the_unit_region():
    base = make_base(valid_from=datetime.date(2024, 3, 1))
    assert base.valid_to == datetime.date(2029, 2, 28)
    assert base.region.code == "510104" and base.status == c.BaseStatus.ACTIVE


def test_one_listed_base_per_unit_and_level():
    make_base("锦江区科技馆")
    with pytest.raises(DomainError):
        make_base("锦江区科技馆")
    make_base("锦江区科技馆", level=c.BaseLevel.CITY)


def test_dynamic_management_moves_and_refusals():
    base = make_base()
    with pytest.raises(DomainError):
        services.set_base_status(base, c.BaseStatus.WARNED, actor=None, reason=" ")
    services.set_base_status(base, c.BaseStatus.WARNED, actor=None, reason="评估不合格")
    services.set_base_status(base, c.BaseStatus.REVOKED, actor=None, reason="整改不到位")
    with pytest.raises(StateConflict):
        services.set_base_status(base, c.BaseStatus.ACTIVE, actor=None)


def test_expiry_at_the_end_of_the_cycle():
    base = make_base(valid_from=datetime.date(2019, 1, 1))
    assert services.expire_bases(today=datetime.date(2024, 1, 1)) == 1
    base.refresh_from_db()
    assert base.status == c.BaseStatus.EXPIRED
