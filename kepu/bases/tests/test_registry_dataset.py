"""The registry's bulk rows (`dataset.generate`) at a tiny scale keep the invariants the
services keep, and each invariant catches the violation it names."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from kepu.bases import choices as c
from kepu.bases import dataset as bases_dataset
from kepu.bases.models import Base
from kepu.bases.tests.helpers import make_base
from kepu.core import dataset, invariants
from kepu.core.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setitem(dataset.SCALES, "county", 0.005)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ds = dataset.Dataset("county", seed=23, out=lambda line: None)
            bases_dataset.generate(ds)
            yield ds
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def generated(_generated, db):
    return _generated


def test_the_bulk_rows_keep_the_invariants(generated):
    bulk = Base.objects.filter(number__startswith="BM-")
    listed = bulk.filter(status__in=c.LISTED_STATUSES)
    # The scale's listed bases, and one in twenty more expired or revoked.
    assert listed.count() == 25 and bulk.count() == 26
    assert invariants.check(["bases"]) == []
    assert not listed.filter(valid_to__lt=generated.today).exists()
    assert set(bulk.values_list("region__path", flat=True)) <= set(
        Region.objects.filter(path__startswith="51/").values_list("path", flat=True)
    )


def test_each_invariant_names_its_violation(generated):
    base = make_base("不变量基地", region_code="510104")
    Base.objects.filter(pk=base.pk).update(
        valid_from=datetime.date(2019, 1, 1),
        valid_to=datetime.date(2020, 1, 1),
        region=Region.objects.get(code="510703"),
    )
    found = invariants.check(["bases"])
    assert found == [
        f"bases.listed_bases_are_within_their_validity: base {base.pk} is listed after "
        "the end of its validity",
        f"bases.a_base_lies_in_its_unit_s_region: base {base.pk} lies outside its unit's region",
    ]
