"""The push benchmark (bench/emergency_push.py) on the demo data: it runs, counts what it
says, loses and duplicates nobody, and leaves no incident behind."""

import pytest

from kepu.emergency.models import Delivery, Incident
from kepu.emergency.tests.authz_pushes import emergency_resource

pytestmark = pytest.mark.django_db


def test_the_push_bench_runs_on_the_demo():
    from bench.emergency_push import push_to_province

    emergency_resource()
    result = push_to_province()
    assert result["expected"] == sum(result["recipients_by_channel"].values()) > 0
    assert result["delivered"] == result["deliveries_written"] == result["expected"]
    assert (result["lost"], result["duplicated_targets"]) == (0, 0)
    assert result["status"] == "delivered" and result["tallies_match_rows"] is True
    assert result["create_push_seconds"] >= 0
    assert not Incident.objects.filter(title__startswith="基准测试").exists()
    assert not Delivery.objects.exists()
