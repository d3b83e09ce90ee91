"""The catalog's invariants hold on the bulk benchmark dataset (rows written directly,
not through the services): it writes only states the services could have produced.
The demo's side is in test_demo."""

from io import StringIO

import pytest
from django.core.management import call_command

from kepu.core import dataset, invariants

pytestmark = pytest.mark.django_db


def test_the_benchmark_dataset_holds_the_invariants(monkeypatch):
    monkeypatch.setitem(dataset.SCALES, "county", 0.002)
    call_command("generate_dataset", scale="county", seed=7, stdout=StringIO())
    assert invariants.check(["resources"]) == []
