"""Recognition forms as the pages render them: the new-round page shows every field of
the call, the year among them (a substring test of the eligibility fields' names hid it,
and the page could not be saved); the score sheet's criteria are styled inputs."""

import pytest
from django.urls import reverse

from kepu.bases.forms.recognition import RoundForm, ScoreForm
from kepu.bases.tests import helpers_recognition as h

pytestmark = pytest.mark.django_db


def test_the_round_form_shows_every_field_of_the_call(as_persona):
    province = as_persona("province")
    body = province.get(reverse("bases:round_create")).content.decode()
    for name in RoundForm.Meta.fields:
        assert f'name="{name}"' in body, name
    for name in ("legal_person", "min_years_open", "min_open_days", "min_area_venue"):
        assert body.count(f'name="{name}"') == 1, name


def test_the_score_sheet_criteria_are_styled_inputs():
    criteria = list(h.recognition_rubric().criteria.all())
    form = ScoreForm(criteria=criteria)
    for cr in criteria:
        assert "form-control" in form.fields[cr.code].widget.attrs["class"], cr.code
