"""Rubric pages through HTTP: create (empty or from a preset), the weights shown and
checked, activation refused until they add up to 100 (every reason shown), a rubric in
use refused edits, copy, retire, and the "try it" form."""

import pytest
from django.urls import reverse

from kepu.core.models import AuditEntry, Region
from kepu.rubrics import choices as c
from kepu.rubrics import presets, services
from kepu.rubrics.models import Criterion, Rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(as_persona):
    client = as_persona("province")
    client.cookies["django_language"] = "en"
    return client


def _create(client, **over):
    data = {"name": "测试细则", "purpose": "midterm", "preset": "", "region": "51", **over}
    return client.post(reverse("rubrics:rubric_create"), data)


def _criterion(**over):
    data = {
        "code": "visits",
        "name": "接待人次",
        "weight": "40",
        "method": "banded",
        "unit": "人次",
        "band0_max": "1000",
        "band0_share": "0",
        "band1_min": "1000",
        "band1_share": "100",
    }
    data.update(over)
    return data


def test_create_from_a_preset_fills_the_criteria(province):
    response = _create(province, preset="midterm")
    rubric = Rubric.objects.get(name="测试细则")
    assert response.status_code == 302 and response["Location"] == reverse(
        "rubrics:rubric_detail", args=[rubric.pk]
    )
    assert rubric.status == c.RubricStatus.DRAFT
    assert rubric.criteria.count() == len(presets.demonstration_midterm_criteria())
    page = province.get(response["Location"]).content.decode()
    assert "The weights add up to 100 of 100 points." in page
    assert "Before it can be put in use:" not in page


def test_bad_weights_are_shown_and_activation_is_refused_until_100(province):
    _create(province)
    rubric = Rubric.objects.get(name="测试细则")
    url = reverse("rubrics:criterion_create", args=[rubric.pk])
    assert province.post(url, _criterion()).status_code == 302
    detail = reverse("rubrics:rubric_detail", args=[rubric.pk])
    page = province.get(detail).content.decode()
    assert "The weights add up to 40 of 100 points." in page
    assert "The weights add up to 40 points; they must add up to 100." in page

    response = province.post(reverse("rubrics:rubric_activate", args=[rubric.pk]), follow=True)
    assert "The weights add up to 40 points; they must add up to 100." in response.content.decode()
    rubric.refresh_from_db()
    assert rubric.status == c.RubricStatus.DRAFT

    # A computed criterion without a source, bands with a gap: refused with the reasons.
    response = province.post(
        url,
        _criterion(code="area", weight="60", method="auto", band1_min="1200"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Band 2 must start where band 1 ends." in page
    assert "Choose the registry source that computes it." in page
    assert rubric.criteria.count() == 1

    response = province.post(url, _criterion(code="area", weight="60", source=""))
    assert response.status_code == 302
    response = province.post(reverse("rubrics:rubric_activate", args=[rubric.pk]))
    rubric.refresh_from_db()
    assert rubric.status == c.RubricStatus.IN_USE
    assert AuditEntry.objects.filter(action="rubrics.rubric.activated").exists()


def test_edit_delete_refused_once_in_use_and_copy_makes_a_draft(province):
    rubric = services.create_rubric(
        actor=None,
        name="在用细则",
        purpose=c.Purpose.MIDTERM,
        region=Region.objects.get(code="51"),
        criteria=presets.demonstration_midterm_criteria(),
        activate=True,
    )
    criterion = rubric.criteria.get(code="funding")
    response = province.post(
        reverse("rubrics:criterion_update", args=[criterion.pk]),
        _criterion(code="funding", weight="15"),
    )
    assert response.status_code == 400
    assert "copy it to make changes" in response.content.decode()
    response = province.post(reverse("rubrics:criterion_delete", args=[criterion.pk]))
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    page = province.get(reverse("rubrics:rubric_detail", args=[rubric.pk])).content.decode()
    assert reverse("rubrics:criterion_create", args=[rubric.pk]) not in page

    response = province.post(reverse("rubrics:rubric_copy", args=[rubric.pk]))
    copy = Rubric.objects.get(copied_from=rubric)
    assert response["Location"] == reverse("rubrics:rubric_detail", args=[copy.pk])
    assert copy.status == c.RubricStatus.DRAFT and copy.criteria.count() == 8
    assert (
        province.post(
            reverse("rubrics:criterion_delete", args=[copy.criteria.get(code="funding").pk])
        ).status_code
        == 302
    )
    assert copy.criteria.count() == 7

    province.post(reverse("rubrics:rubric_retire", args=[rubric.pk]))
    rubric.refresh_from_db()
    assert rubric.status == c.RubricStatus.RETIRED


def test_a_county_copies_a_province_rubric_into_its_own_region(as_persona):
    rubric = services.create_rubric(
        actor=None,
        name="省级细则",
        purpose=c.Purpose.MIDTERM,
        region=Region.objects.get(code="51"),
        criteria=presets.demonstration_midterm_criteria(),
        activate=True,
    )
    client = as_persona("county_a")
    client.post(reverse("rubrics:rubric_copy", args=[rubric.pk]))
    copy = Rubric.objects.get(copied_from=rubric)
    assert copy.region.code == "510104"


def test_try_it_scores_values_without_saving(province):
    rubric = services.create_rubric(
        actor=None,
        name="试算细则",
        purpose=c.Purpose.MIDTERM,
        region=Region.objects.get(code="51"),
        criteria=presets.demonstration_midterm_criteria(),
        activate=True,
    )
    url = reverse("rubrics:rubric_detail", args=[rubric.pk])
    values = dict(
        leadership=15, funding=3.5, venues=1.2, activities=120, literacy=11, volunteers=40,
        innovation=8, publicity=9,
    )  # fmt: skip
    before = AuditEntry.objects.count()
    page = province.get(url, {"try": "1", **values}).content.decode()
    # 15 + 15 + 8 + 15 + 12 + 8 + 8 + 9 = 90
    assert "Total 90.00: Excellent" in page
    assert "≥ 3 " in page  # the band, in the unit stored with the preset
    page = province.get(url, {"try": "1", "leadership": "15"}).content.decode()
    assert "Total 15.00: Fail" in page
    assert "Some criteria were left empty" in page
    response = province.get(url, {"try": "1", "leadership": "30"})
    assert "the points must be 0 to 15." in response.content.decode()
    assert AuditEntry.objects.count() == before
