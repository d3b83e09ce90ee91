"""The dashboard's figures come from the shared cache, at most a minute old (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_figures_are_cached_and_dated(as_persona):
    client = as_persona("province")
    first = client.get(reverse("core:home"))
    assert first.status_code == 200 and "数据截至" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("core:home"))
    assert again.status_code == 200
    assert not [q for q in queries if "core_organization" in q["sql"]]
    assert again.context["rows"] == first.context["rows"]
    assert again.context["total"] == first.context["total"] > 0
