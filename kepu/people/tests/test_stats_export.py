"""The people statistics page's export (issue 19, point 7): the page's figures, in the
page's scope, audited."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def test_the_export_holds_the_page_figures_and_a_total(as_persona):
    client = as_persona("province")
    params = {"region": "51", "since": "2024-01-01"}
    page = client.get(reverse("people:stats"), params).context
    response = client.get(reverse("people:stats_export"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('people-stats-51-20240101.xlsx"')
    rows = _sheet(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["地区", "行政区划代码", "专职人员"]
    assert "2024-01-01" in header[9]
    by_code = {row[1]: row for row in body}
    assert len(body) == len(page["rows"]) + 1  # one row per city, and the province's total
    for region, figures in page["rows"]:
        row = by_code[region.code]
        assert row[0] == region.name
        kinds = ("fulltime", "parttime", "volunteer", "info_officer", "expert")
        kinds += ("grid_officer", "tech_envoy")  # issue 26
        assert [int(v) for v in row[2:10]] == [figures[k] for k in kinds] + [figures["new"]]
    total = by_code["51"]
    assert int(total[4]) == page["total"]["volunteer"] > 0
    entry = AuditEntry.objects.filter(action="people.stats.exported").latest("pk")
    assert entry.actor.username == "demo-province"
    assert entry.detail == {"region": "51", "since": "2024-01-01", "rows": len(page["rows"])}


def test_the_export_keeps_to_the_users_scope(as_persona):
    client = as_persona("county_a")
    # a region outside the county's scope is ignored, as on the page: the county's own rows
    response = client.get(reverse("people:stats_export"), {"region": "510703"})
    codes = {row[1] for row in _sheet(response)[1:]}
    assert "510104" in codes and "510703" not in codes
    assert all(code.startswith("510104") for code in codes)


def test_the_page_links_to_the_export(as_persona):
    page = as_persona("city").get(reverse("people:stats"), {"region": "5101"})
    assert reverse("people:stats_export") + "?region=5101&amp;since=" in page.content.decode()
