"""The REST API: tokens, regions, organizations, scope, schema, languages."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kepu.core.models import ApiToken, AuditEntry, Organization

pytestmark = pytest.mark.django_db


def token_for(username, **extra):
    response = Client().post(
        reverse("api:token"),
        {"username": username, "password": settings.DEMO_PASSWORD, **extra},
        content_type="application/json",
    )
    return response


def api(token):
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_token_login_and_scope(demo_orgs):
    response = token_for("demo-county-a")
    assert response.status_code == 201
    key = response.json()["token"]
    stored = ApiToken.objects.get(user__username="demo-county-a")
    assert key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    client = api(key)
    listing = client.get(reverse("api:organization-list")).json()
    assert listing["count"] == 5 and {"count", "next", "previous", "results"} <= set(listing)
    names = {o["name"] for o in listing["results"]}
    assert "锦江区科学技术协会" in names and "涪城区科学技术协会" not in names
    assert (
        client.get(reverse("api:organization-detail", args=[demo_orgs["b"].pk])).status_code == 404
    )
    assert (
        Client(HTTP_AUTHORIZATION="Token nonsense")
        .get(reverse("api:organization-list"))
        .status_code
        == 401
    )


def test_token_needs_the_second_factor_for_administrators():
    assert token_for("demo-auditor").status_code == 401
    assert token_for("demo-county-a", password="wrong").status_code == 401


def test_filters_are_shared_with_the_page(as_persona):
    client = as_persona("province")
    data = client.get(reverse("api:organization-list"), {"region": "5107", "org_type": "kx"}).json()
    assert data["count"] >= 2
    assert all(o["org_type"] == "kx" for o in data["results"])
    assert (
        client.get(reverse("api:organization-list"), {"page_size": 100000})
        .json()["results"]
        .__len__()
        <= 500
    )


def test_create_and_update_go_through_the_service(as_persona):
    client = as_persona("county_a")
    response = client.post(
        reverse("api:organization-list"),
        {"name": "接口新单位", "org_type": "school", "region": "510104017"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert AuditEntry.objects.filter(action="core.organization.created", object_id=str(pk))
    response = client.patch(
        reverse("api:organization-detail", args=[pk]),
        {"region": "510703"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Organization.objects.get(pk=pk).region.code == "510104017"
    # Read-only fields are ignored (no mass assignment).
    client.patch(
        reverse("api:organization-detail", args=[pk]),
        {"is_active": False, "id": 1},
        content_type="application/json",
    )
    assert Organization.objects.get(pk=pk).is_active


def test_validation_messages_in_chinese_and_english(as_persona):
    client = as_persona("county_a")
    url = reverse("api:organization-list")
    zh = client.post(
        url, {"org_type": "school", "region": "510104"}, content_type="application/json"
    )
    assert zh.status_code == 400
    assert zh.json()["code"] == "invalid"
    assert zh.json()["fields"]["name"] == ["该字段是必填项。"]
    assert zh.json()["message"] == "该字段是必填项。"
    en = client.post(
        url,
        {"org_type": "school", "region": "510104"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert en.json()["fields"]["name"] == ["This field is required."]


def test_regions_api():
    client = Client()
    counties = client.get(reverse("api:region-list"), {"level": 3}).json()
    assert counties["count"] > 2800
    children = client.get(reverse("api:region-list"), {"parent": "5101"}).json()
    assert {
        "code": "510104",
        "name": "锦江区",
        "level": 3,
        "level_display": "县级",
        "parent": "5101",
    } in children["results"]
    assert client.get(reverse("api:region-detail", args=["510104017"])).json()["parent"] == "510104"


def test_openapi_schema_lists_the_endpoints():
    schema = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/regions/", "/api/v1/organizations/", "/api/v1/auth/token/"} <= set(
        schema["paths"]
    )
    docs = Client().get(reverse("api:docs")).content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_list_endpoint_query_count(as_persona, django_assert_max_num_queries):
    client = as_persona("province")
    client.get(reverse("api:organization-list"))  # warm: the region tree's per-process copies
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:organization-list")).status_code == 200


def test_the_schema_is_made_once_per_language_the_same_for_every_caller(as_persona):
    from kepu.core.api.views import SchemaView

    url = reverse("api:schema")
    SchemaView._schemas.clear()
    first = Client().get(url, HTTP_ACCEPT="application/json")
    again = as_persona("province").get(url, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and again["Content-Disposition"]
    english = Client().get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["paths"].keys() == first.json()["paths"].keys()
    assert english.content != first.content  # the descriptions are translated
    # A language or a version the site does not offer is answered, and not kept.
    assert Client().get(url, {"lang": "xx", "version": "v9"}).status_code == 200
    assert set(SchemaView._schemas) <= {code for code, _name in settings.LANGUAGES}
