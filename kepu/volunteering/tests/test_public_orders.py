"""Public ordering through the pages: the order form and its catalog, idempotent
submission, the rate limit, clear errors, and the private tracking page with its
timeline, rating and cancellation."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import ServiceOrder
from kepu.volunteering.tests.helpers import (
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
    served_order,
)

pytestmark = pytest.mark.django_db
S = c.OrderStatus


def english(client=None):
    """Messages are asserted in English: the msgids, whatever the translation says."""
    client = client or Client()
    client.cookies["django_language"] = "en"
    return client


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def order_data(**over):
    start = timezone.now() + datetime.timedelta(days=3)
    data = {
        "name": "王大妈",
        "phone": "139 0000 1111",
        "category": "health",
        "key_group": "elderly",
        "region": "510104022",
        "address": "春熙路街道某社区活动室",
        "window_start": local(start),
        "window_end": local(start + datetime.timedelta(hours=2)),
        "expected_attendees": "40",
        "description": "想请医生给社区老人讲高血压防治。",
        "consent": "on",
        "client_key": str(uuid.uuid4()),
    }
    data.update(over)
    return data


NEW = reverse("volunteering:order_new")


def track_url(order):
    return reverse("volunteering:order_track", args=[order.token])


# --- the order form ---------------------------------------------------------------------


def test_order_form_shows_the_catalog_and_a_fresh_client_key():
    client = english()
    first = client.get(NEW).content.decode()
    second = client.get(NEW).content.decode()
    for label in c.ServiceCategory.labels:
        assert str(label) in first
    assert "Digital skills for older people" in first and "smartphones" in first
    keys = [
        re.search(r'name="client_key" value="([0-9a-f-]{36})"', p).group(1) for p in (first, second)
    ]
    assert keys[0] != keys[1]
    assert "kepu-region-picker" in first and 'name="consent"' in first
    assert "<script>" not in first and "style=" not in first


def test_order_is_placed_and_tracked_with_a_masked_phone():
    client = english()
    response = client.post(NEW, order_data())
    assert response.status_code == 302
    order = ServiceOrder.objects.get()
    assert response["Location"] == track_url(order)
    assert order.requester_kind == c.RequesterKind.CITIZEN and order.requester_user is None
    assert order.region.code == "510104022" and order.notice is not None
    assert order.status == S.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert order.number in page and "139****1111" in page and "13900001111" not in page
    assert "Keep the link of this page" in page  # the success message and the reminder
    assert "Ordered" in page
    assert AuditEntry.objects.filter(action="volunteering.serviceorder.created").count() == 1


def test_double_submit_with_the_same_client_key_places_one_order():
    client = english()
    data = order_data()
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ServiceOrder.objects.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "already been received" in page


def test_a_client_key_with_another_phone_never_reveals_the_order():
    data = order_data()
    assert english().post(NEW, data).status_code == 302
    order = ServiceOrder.objects.get()
    response = english().post(NEW, {**data, "phone": "13700002222"})
    body = response.content.decode()
    assert response.status_code == 200
    assert str(order.token) not in body and "This form was already used" in body
    assert data["client_key"] not in body  # a fresh key for the next try
    assert ServiceOrder.objects.count() == 1


def test_bad_input_shows_clear_errors_and_places_nothing():
    start = timezone.now() + datetime.timedelta(days=2)
    data = order_data(
        phone="12345",
        region="51",
        window_start=local(start),
        window_end=local(start - datetime.timedelta(hours=1)),
        expected_attendees="0",
        latitude="30.65",
        consent="",
    )
    response = english().post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the marked fields." in body
    assert "Enter an 11-digit mainland mobile number" in body
    assert "Choose the county, and the township if you can." in body
    assert "The end of the time window must be after its start." in body
    assert "Give both the latitude and the longitude, or neither." in body
    assert "Please read and accept the notice" in body
    assert data["client_key"] in body  # the same key: a corrected retry is still one order
    assert not ServiceOrder.objects.exists()


def test_a_time_window_in_the_past_is_refused_by_the_service():
    past = timezone.now() - datetime.timedelta(days=2)
    data = order_data(
        window_start=local(past), window_end=local(past + datetime.timedelta(hours=2))
    )
    response = english().post(NEW, data)
    assert response.status_code == 200
    assert "The time window is already over." in response.content.decode()
    assert not ServiceOrder.objects.exists()


def test_coordinates_are_rounded_to_six_places():
    english().post(NEW, order_data(latitude="30.6571234567", longitude="104.0812345678"))
    order = ServiceOrder.objects.get()
    assert str(order.latitude) == "30.657123" and str(order.longitude) == "104.081235"


def test_rate_limit_answers_429(settings):
    settings.PUBLIC_ORDER_FORM_LIMIT = 3
    client = english()
    bad = order_data(consent="")
    for _i in range(3):
        assert client.post(NEW, bad).status_code == 200
    response = client.post(NEW, order_data())
    assert response.status_code == 429
    assert not ServiceOrder.objects.exists()


def test_member_staff_orders_for_their_unit(as_persona):
    member = english(as_persona("member"))
    page = member.get(NEW).content.decode()
    assert "You are ordering for 四川省教育厅" in page
    assert member.post(NEW, order_data()).status_code == 302
    order = ServiceOrder.objects.get()
    assert order.requester_kind == c.RequesterKind.COMMUNITY
    assert order.requester_organization == org("四川省教育厅")
    assert order.requester_user.username == "demo-member"


# --- the tracking page --------------------------------------------------------------------


def test_unknown_token_is_404():
    url = reverse("volunteering:order_track", args=[uuid.uuid4()])
    assert Client().get(url).status_code == 404


def test_tracking_shows_the_steps_without_naming_volunteers():
    volunteer = make_volunteer(name="隐私队员")
    team = make_team(leader=volunteer, members=[volunteer])
    order = make_order()
    order = services.dispatch(order, actor=officer(), team=team)
    order = services.accept(order, actor=None, volunteers=[volunteer])
    page = english().get(track_url(order)).content.decode()
    assert "Ordered" in page and "Dispatched" in page and "Accepted by the team" in page
    assert team.name in page
    assert volunteer.name not in page
    assert "王大妈" in page and "139****1111" in page


def test_returned_and_rejected_orders_show_the_reason():
    order = make_order()
    order = services.dispatch(order, actor=officer(), department=org("四川省教育厅"))
    services.return_order(order, actor=None, reason="本部门无对口服务队")
    page = english().get(track_url(order)).content.decode()
    assert "handed back" in page and "本部门无对口服务队" in page
    other = make_order()
    services.reject(other, actor=officer(), reason="不属于科技志愿服务范围")
    page = english().get(track_url(other)).content.decode()
    assert "could not be taken" in page and "不属于科技志愿服务范围" in page
    assert "Cancel the order" not in page


def test_rating_a_served_order_closes_it():
    order = served_order()
    client = english()
    page = client.get(track_url(order)).content.decode()
    assert 'name="rating"' in page and "Cancel the order" not in page
    url = reverse("volunteering:order_rate", args=[order.token])
    response = client.post(url, {"rating": "4", "comment": "讲得通俗易懂"})
    assert response.status_code == 302 and response["Location"] == track_url(order)
    order.refresh_from_db()
    assert (order.status, order.rating, order.rating_comment) == (S.CLOSED, 4, "讲得通俗易懂")
    page = client.get(track_url(order)).content.decode()
    assert "Rated by the requester" in page and 'name="rating"' not in page
    # A second rating changes nothing.
    client.post(url, {"rating": "1"})
    order.refresh_from_db()
    assert order.rating == 4
    assert order.events.filter(action=c.OrderAction.RATE).count() == 1


def test_an_invalid_rating_is_explained_and_changes_nothing():
    order = served_order()
    url = reverse("volunteering:order_rate", args=[order.token])
    response = english().post(url, {"rating": "9"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.SERVED and order.rating is None


def test_rating_before_the_service_is_refused():
    order = make_order()
    url = reverse("volunteering:order_rate", args=[order.token])
    response = english().post(url, {"rating": "5"}, follow=True)
    assert "not possible now" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and order.rating is None


def test_cancel_by_the_private_link():
    order = make_order()
    client = english()
    assert "Cancel the order" in client.get(track_url(order)).content.decode()
    url = reverse("volunteering:order_cancel", args=[order.token])
    response = client.post(url, {"reason": "活动改期"}, follow=True)
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.reason == "活动改期"
    body = response.content.decode()
    assert "You cancelled this order." in body and "Cancel the order" not in body
    # Cancelling again is refused with the service's message.
    body = client.post(url, follow=True).content.decode()
    assert "not possible now" in body
    assert order.events.filter(action=c.OrderAction.CANCEL).count() == 1
