"""Scoped choices for mobile facilities (security problem #8): a facility's stops are
planned by the officers of its region and above (the province's caravan by the province;
a county asks it), through the page and the API alike; and a booking clash names the
other stop only to someone who may see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.activities import services
from kepu.activities.models import Activity
from kepu.activities.tests.helpers import org, region
from kepu.core.models import User
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def facility_of(code, organizer, name):
    return services.create_facility(
        actor=None, organization=org(organizer), region=region(code), name=name, kind="caravan"
    )


def page_data(start, **over):
    return {
        "title": "大篷车进社区",
        "organization_ref": "锦江区科学技术协会",
        "groups": ["youth"],
        "topics": ["ai"],
        "region": "510104",
        "address": "锦江区某社区",
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=3)),
        "expected_audience": "100",
        "volunteers_needed": "4",
        **over,
    }


def api_data(facility, start):
    return {
        "title": "接口大篷车站",
        "organization": org("锦江区科学技术协会").pk,
        "kind": "lecture",
        "region": "510104",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "groups": ["youth"],
        "facility": facility.pk,
    }


def test_a_county_cannot_book_the_provinces_facility(as_persona):
    caravan = facility_of("51", "四川省科学技术协会", "四川科普大篷车")
    county_a = as_persona("county_a")
    start = timezone.now() + datetime.timedelta(days=6)
    # The tour is public to see, but the "add a stop" button is not offered…
    page = county_a.get(reverse("activities:facility_detail", args=[caravan.pk])).content
    assert f"?facility={caravan.pk}".encode() not in page
    before = fingerprint()
    url = reverse("activities:activity_create") + f"?facility={caravan.pk}"
    assert county_a.get(url).status_code == 403
    assert county_a.post(url, page_data(start)).status_code == 403
    # …nor through the API, where it is not among the choices.
    response = county_a.post(
        reverse("api:activity-list"), api_data(caravan, start), content_type="application/json"
    )
    assert response.status_code == 400 and "facility" in response.json()["fields"]
    assert fingerprint() == before
    # …nor through the service (one validation path).
    with pytest.raises(services.DomainError):
        services.create_activity(
            actor=User.objects.get(username="demo-county-a"),
            facility=caravan,
            **{
                "title": "绕过",
                "organization": org("锦江区科学技术协会"),
                "region": region("510104"),
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=2),
            },
            groups=["youth"],
        )
    # The province plans the stop in county A.
    response = as_persona("province").post(url, page_data(start))
    assert response.status_code == 302
    assert Activity.objects.filter(facility=caravan, region__code="510104").exists()
    # County A books its own county's facility.
    own = facility_of("510104", "锦江区科学技术协会", "锦江流动科技馆")
    own_url = reverse("activities:activity_create") + f"?facility={own.pk}"
    assert county_a.post(own_url, page_data(start)).status_code == 302


def test_a_clash_names_the_other_stop_only_to_who_may_see_it(as_persona):
    caravan = facility_of("5101", "成都市科学技术协会", "成都科普大篷车")
    start = timezone.now() + datetime.timedelta(days=8)
    # The province sends Chengdu's caravan to Mianyang (a draft the city cannot see).
    hidden = services.create_activity(
        actor=User.objects.get(username="demo-province"),
        facility=caravan,
        title="涪城保密草稿站",
        organization=org("涪城区科学技术协会"),
        region=region("510703"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        groups=["youth"],
    )
    url = reverse("activities:activity_create") + f"?facility={caravan.pk}"
    city = as_persona("city")
    city.cookies["django_language"] = "en"  # the messages in English
    assert city.get(reverse("activities:activity_detail", args=[hidden.pk])).status_code == 404
    before = fingerprint()
    response = city.post(url, page_data(start, organization_ref="成都市科学技术协会"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "涪城保密草稿站" not in page and "涪城区" not in page
    assert "already booked" in page
    assert fingerprint() == before
    # The province, who sees that stop, is told which one it is.
    response = as_persona("province").post(url, page_data(start))
    assert response.status_code == 400 and "涪城保密草稿站" in response.content.decode()
