"""The registry's bench pieces on tiny data: the endpoints `make bench` measures answer
200 as the persona it measures them as, and the sample names a listed base with a place."""

import datetime

import pytest

from kepu.bases.tests.helpers import make_base
from kepu.resources.tests.helpers import make_resource, publish

pytestmark = pytest.mark.django_db

PERSONAS = {None: None, "demo-province": "province", "demo-county-a": "county_a"}


def test_the_bench_endpoints_of_the_registry_answer(client, as_persona):
    from bench import endpoints
    from bench.measure import _base

    assert _base() is None
    plain = make_base("基准县级馆", valid_from=datetime.date(2025, 1, 1))
    assert _base() == plain.pk
    placed = make_base("基准省级馆", level="provincial", valid_from=datetime.date(2024, 1, 1))
    place = publish(make_resource(organization=placed.organization, title="基准省级馆"))
    from kepu.bases import services

    services.change_base(placed, actor=None, place=place)
    assert _base() == placed.pk  # one with a place on the map first
    rows = [e for e in endpoints.endpoints({"base": placed.pk}) if e.module == "bases"]
    assert {e.path for e in rows} >= {
        "/bases/",
        "/venues/",
        "/venues/map/",
        "/venues/map/points.json",
        f"/venues/{placed.pk}/",
        "/api/v1/bases/",
    }
    assert f"/venues/{placed.pk}/" not in {e.path for e in endpoints.endpoints({})}
    for endpoint in rows:
        persona = PERSONAS[endpoint.persona]
        http = as_persona(persona) if persona else client
        assert http.get(endpoint.path).status_code == 200, endpoint.name
