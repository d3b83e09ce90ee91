"""The public order form (issue 19 point 7): residents see a region cascade, an address
and a "use my location" button, never raw latitude/longitude boxes; the coordinates stay
optional hidden fields that the form and the API still take."""

import pytest
from django.test import Client
from django.urls import reverse

from kepu.core.testing import fingerprint
from kepu.core.tests.test_privacy_notices import order_data
from kepu.volunteering.models import ServiceOrder

pytestmark = pytest.mark.django_db
NEW = reverse("volunteering:order_new")


def test_no_coordinate_boxes_are_shown():
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(NEW).content.decode()
    assert 'type="hidden" name="latitude"' in page and 'type="hidden" name="longitude"' in page
    assert ">Latitude<" not in page and ">Longitude<" not in page
    assert "Use my location" in page and "kepu-region-picker" in page and 'name="address"' in page


def test_coordinates_from_the_button_are_kept_and_stay_optional():
    placed = Client().post(NEW, order_data(latitude="30.657001", longitude="104.065"))
    assert placed.status_code == 302
    order = ServiceOrder.objects.get()
    assert (str(order.latitude), str(order.longitude)) == ("30.657001", "104.065000")
    response = Client().post(NEW, order_data(phone="13900002222"))
    assert response.status_code == 302
    assert ServiceOrder.objects.filter(latitude__isnull=True).count() == 1


def test_half_a_location_is_refused_with_a_visible_message():
    client = Client()
    client.cookies["django_language"] = "en"
    before = fingerprint()
    response = client.post(NEW, order_data(latitude="30.6"))
    assert response.status_code == 200  # the order page answers a refused form with 200
    assert "Give both the latitude and the longitude, or neither." in response.content.decode()
    assert fingerprint() == before
