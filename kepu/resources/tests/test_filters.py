"""One FilterSet per list: the back-office list page and its API endpoint take the same
parameters with the same meanings; the portal's pages and the public endpoint too."""

import pytest
from django.urls import reverse

from kepu.core.choices import Topic
from kepu.resources.api import views as api_views
from kepu.resources.filters import PublicResourceFilter, ResourceFilter
from kepu.resources.tests.helpers import make_resource, org
from kepu.resources.views.catalog import CatalogQuery

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_each_list_has_one_filterset_on_page_and_api():
    assert api_views.ResourceViewSet.filterset_class is ResourceFilter
    assert api_views.PublicResourceViewSet.filterset_class is PublicResourceFilter
    assert set(ResourceFilter.base_filters) >= {"topic", "hazard", "owner", "due", "stage"}
    # The portal's faceted pages read the public filters' parameters.
    assert CatalogQuery().names == tuple(PublicResourceFilter.base_filters)


def _api_ids(client, **params):
    response = client.get(reverse("api:resource-list"), params, **EN)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _page_ids(client, **params):
    response = client.get(reverse("resources:resource_list"), params)
    assert response.status_code == 200
    return {r.pk for r in response.context["page"].object_list}


def test_page_and_api_filter_alike(as_persona):
    client = as_persona("county_a")
    quake = make_resource(resource_type="work", title="地震避险", topics=[], is_emergency=True)
    space = make_resource(title="航天馆")
    other_unit = make_resource(title="另一单位", organization="锦江区科学技术协会")
    for params, expected_in, expected_out in [
        # `topic` is the topic or the hazard type (the page's meaning).
        ({"topic": Topic.EARTHQUAKE.value}, {quake.pk}, {space.pk}),
        ({"hazard": Topic.EARTHQUAKE.value}, {quake.pk}, {space.pk}),
        ({"emergency": "yes"}, {quake.pk}, {space.pk}),
        ({"emergency": "true"}, {quake.pk}, {space.pk}),
        ({"emergency": "no"}, {space.pk}, {quake.pk}),
        ({"owner": org("锦江区科学技术协会").pk}, {other_unit.pk}, set()),
        ({"due": "overdue"}, set(), {quake.pk, space.pk}),
    ]:
        api, page = _api_ids(client, **params), _page_ids(client, **params)
        assert api == page, params
        assert expected_in <= api and not expected_out & api, params


@pytest.mark.parametrize("name", ["owner", "region", "stage", "topic", "page"])
def test_oversized_and_unknown_values_do_not_fail(as_persona, name):
    client = as_persona("county_a")
    huge = "99999999999999999999"
    assert client.get(reverse("resources:resource_list"), {name: huge}).status_code in (200, 404)
    api = client.get(reverse("api:resource-list"), {name: huge}, **EN)
    assert api.status_code in (200, 400, 404)
    public = client.get(reverse("api:public-resource-list"), {name: huge}, **EN)
    assert public.status_code in (200, 400, 404)
