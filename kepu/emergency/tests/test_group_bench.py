"""The activation benchmark (`bench/emergency_group.py`) runs on the demo province: it
activates, proposes a full group and leaves nothing behind."""

import importlib.util
from pathlib import Path

import pytest

from kepu.emergency.models import Incident

pytestmark = pytest.mark.django_db


def _bench():
    path = Path(__file__).resolve().parents[3] / "bench" / "emergency_group.py"
    spec = importlib.util.spec_from_file_location("emergency_group_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_measure_activation_on_the_demo():
    before = Incident.objects.count()
    result = _bench().measure_activation(runs=2)
    assert result["runs"] == 2 and result["pool_memberships"] > 0
    assert 0 < result["group_size"] <= 9
    assert 0 < result["activation_to_group_s"] < 5
    assert result["queries"] < 40
    assert Incident.objects.count() == before  # rolled back
