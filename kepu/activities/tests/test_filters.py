"""One FilterSet per list, shared by the page and its API endpoint: same parameter names,
same meanings, and no server error on nonsense."""

import pytest
from django.urls import reverse

from kepu.activities import filters
from kepu.activities.api import views as api
from kepu.activities.tests.helpers import make_activity
from kepu.core.filters import IdFilter

pytestmark = pytest.mark.django_db

OVERSIZED = "99999999999999999999"

# (page URL name, page kwargs, API URL name, the FilterSet both use)
PAIRS = [
    ("activities:activity_list", None, "api:activity-list", filters.ActivityFilter),
    ("activities:campaign_list", None, "api:campaign-list", filters.CampaignFilter),
    ("activities:facility_list", None, "api:facility-list", filters.FacilityFilter),
    ("activities:signup_list", "activity", "api:activity-signups", filters.SignUpFilter),
]


def test_the_api_uses_the_pages_filtersets():
    assert api.ActivityViewSet.filterset_class is filters.ActivityFilter
    assert api.CampaignViewSet.filterset_class is filters.CampaignFilter
    assert api.FacilityViewSet.filterset_class is filters.FacilityFilter
    assert set(filters.CalendarFilter.base_filters) <= set(filters.ActivityFilter.base_filters)


@pytest.mark.parametrize(("page", "kwargs", "endpoint", "filterset"), PAIRS)
def test_every_filter_of_a_list_works_on_its_page_and_endpoint(
    as_persona, page, kwargs, endpoint, filterset
):
    activity = make_activity(capacity=5)
    args = [activity.pk] if kwargs else None
    client = as_persona("province")
    for name, f in filterset.base_filters.items():
        numeric = isinstance(f, IdFilter) or name == "campaign"
        value = OVERSIZED if numeric else "nonsense"
        for url in (reverse(page, args=args), reverse(endpoint, args=args)):
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name)
    api_response = client.get(reverse(endpoint, args=args), {"facility": OVERSIZED})
    assert api_response.status_code in (200, 400)


def test_oversized_ids_are_refused_not_a_server_error(as_persona):
    client = as_persona("province")
    response = client.get(reverse("api:activity-list"), {"facility": OVERSIZED})
    assert response.status_code == 400 and "facility" in response.json()["fields"]
    page = client.get(reverse("activities:activity_list"), {"facility": OVERSIZED})
    assert page.status_code == 200 and not page.context["page"].object_list
    year = client.get(reverse("api:campaign-list"), {"year": OVERSIZED})
    assert year.status_code == 400


def test_the_sign_up_status_filter_means_the_same_on_both_sides(as_persona):
    from kepu.activities import services

    activity = make_activity(capacity=1)
    services.sign_up(activity, name="张三", phone="13900001111", key_group="youth")
    services.sign_up(activity, name="李四", phone="13700003333", key_group="general")
    client = as_persona("county_a")
    page = client.get(reverse("activities:signup_list", args=[activity.pk]), {"status": "waiting"})
    assert [s.name for s in page.context["page"].object_list] == ["李四"]
    endpoint = client.get(
        reverse("api:activity-signups", args=[activity.pk]), {"status": "waiting"}
    )
    assert [s["name"] for s in endpoint.json()["results"]] == ["李四"]
    assert (
        client.get(
            reverse("api:activity-signups", args=[activity.pk]), {"status": "nonsense"}
        ).status_code
        == 400
    )


def test_facilities_filter_by_kind_on_the_page(as_persona):
    from kepu.activities import services
    from kepu.activities.tests.helpers import org, region

    services.create_facility(
        actor=None, organization=org("锦江区科学技术协会"), region=region("510104"),
        name="锦江大篷车", kind="caravan",
    )  # fmt: skip
    client = as_persona("county_a")
    caravans = client.get(reverse("activities:facility_list"), {"kind": "caravan"})
    museums = client.get(reverse("activities:facility_list"), {"kind": "mobile_museum"})
    assert "锦江大篷车" in caravans.content.decode()
    assert "锦江大篷车" not in museums.content.decode()
