"""The benchmark dataset generator (`manage.py generate_dataset`), at a tiny scale: every
app's rows are written in a state the pages can show, personal data encrypted, and the
search index agrees with a plain scan."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from kepu.core import crypto, dataset, pii
from kepu.core.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    """Generated once for the module, inside a transaction rolled back at the end (each
    test runs in a savepoint within it)."""
    # 0.2 % of the province: 600 people, 400 activities, 1,000 orders, 4,000 hour entries.
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setitem(dataset.SCALES, "county", 0.002)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("generate_dataset", scale="county", seed=7, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def generated(_generated, db):
    return _generated


def test_the_bulk_rows_keep_the_invariants(generated):
    """The bulk writer produces only states the services could have produced."""
    from kepu.core import invariants

    assert invariants.check() == []


def test_every_module_gets_its_rows_and_the_time_is_printed(generated):
    from kepu.activities.models import Activity
    from kepu.people.models import Person, Team
    from kepu.resources.models import Resource
    from kepu.volunteering.models import HourEntry, ServiceOrder

    assert "dataset:" in generated and " s\n" in generated
    sizes = {key: round(n * 0.002) for key, n in dataset.PROVINCE_SIZES.items()}
    assert Person.objects.filter(name__regex=r"^\S+$").count() >= sizes["people"]
    assert Team.objects.count() >= sizes["teams"]
    assert Activity.objects.count() >= sizes["activities"]
    assert ServiceOrder.objects.count() >= sizes["orders"]
    assert HourEntry.objects.count() >= sizes["hour_entries"]
    assert Resource.objects.count() >= sizes["resources"]
    # The persona counties have rows of every module.
    for code in ("510104", "510703"):
        inside = Q(region__path__startswith=f"51/5101/{code}") | Q(
            region__path__startswith=f"51/5107/{code}"
        )
        assert Person.objects.filter(inside).exists()
        assert ServiceOrder.objects.filter(inside).exists()
        assert Activity.objects.filter(inside).exists()


def test_personal_data_is_encrypted_and_masked(generated):
    from kepu.people.models import Person

    person = Person.objects.exclude(id_hash="").order_by("-pk").first()
    number = crypto.open_sealed(person.id_number_enc)
    pii.validate_resident_id(number)
    assert number not in person.id_number_enc
    assert person.id_hash == crypto.blind_index(number)
    assert person.id_masked == pii.mask_id(number)
    assert person.phone_masked == pii.mask_phone(crypto.open_sealed(person.phone_enc))


def test_the_search_index_agrees_with_a_scan(generated):
    from kepu.people.models import Person
    from kepu.resources.models import Resource

    for model in (Person, Resource):
        for q in ("科普", "地震"):
            scan = Q()
            for field in model.SEARCH_FIELDS:
                scan |= Q(**{f"{field}__icontains": q})
            indexed = set(search(model.objects.all(), q, fields=model.SEARCH_FIELDS))
            assert indexed == set(model.objects.filter(scan))


def test_the_pages_show_the_generated_rows(generated, as_persona):
    county = as_persona("county_a")
    for url in ("/people/", "/volunteering/orders/", "/activities/", "/resources/"):
        assert county.get(url).status_code == 200, url
    province = as_persona("province")
    for url in ("/workbench/", "/volunteering/bulletin/", "/plans/targets/"):
        assert province.get(url).status_code == 200, url
