"""The new-round page shows every field of the call: the year among them (it was hidden
by a substring test of the eligibility fields' names, and the page could not be saved)."""

import pytest
from django.urls import reverse

from kepu.bases.forms.recognition import RoundForm

pytestmark = pytest.mark.django_db


def test_the_round_form_shows_every_field_of_the_call(as_persona):
    province = as_persona("province")
    body = province.get(reverse("bases:round_create")).content.decode()
    for name in RoundForm.Meta.fields:
        assert f'name="{name}"' in body, name
    for name in ("legal_person", "min_years_open", "min_open_days", "min_area_venue"):
        assert body.count(f'name="{name}"') == 1, name
