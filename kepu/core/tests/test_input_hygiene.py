"""Security #14: input hygiene through every path (public forms, officer pages, the API,
the Excel import). Full-width digits are normalized, not refused with a wrong reason; an
ID number's area code must be a real province's; control and bidi characters are refused
in names and titles; every password refusal is in Chinese."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kepu.activities.models import SignUp
from kepu.activities.tests.helpers import make_activity
from kepu.core import crypto, pii
from kepu.core.models import ImportJob
from kepu.core.testing import fingerprint
from kepu.core.tests.test_excel import workbook
from kepu.core.validators import validate_clean_line, validate_clean_text
from kepu.people.io import person_columns
from kepu.people.models import Person
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "张三\u202e" displays reordered
UNSAFE_NAMES = [f"张{RLO}三", "张\u2066三", "李\u200f四", "王\x07五", "赵\n六"]


def english(client=None):
    client = client or Client()
    client.cookies["django_language"] = "en"
    return client


def zero_area_id() -> str:
    return valid_id("00000019900101001")


# --- full-width digits ----------------------------------------------------------------------


def test_full_width_digits_are_normalized_not_refused():
    number = valid_id("51010419850505005")
    response = english().post(
        reverse("people:join_form", args=["volunteer"]),
        {
            "name": "全角输入",
            "doc_type": "id",
            "id_number": f" {number.translate(FULL_WIDTH)}\u3000",
            "phone": "１３７－０００１－２３４５",
            "region": "510104",
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    person = Person.objects.get(name="全角输入")
    assert person.id_hash == crypto.blind_index(number)
    assert crypto.open_sealed(person.id_number_enc) == number
    assert person.phone_masked == "137****2345"
    assert crypto.open_sealed(person.phone_enc) == "13700012345"


def test_a_full_width_phone_signs_up_and_is_one_person():
    activity = make_activity(capacity=5)
    url = reverse("activities:event", args=[activity.pk])
    data = {"name": "全角", "key_group": "youth", "consent": "on"}
    assert Client().post(url, {**data, "phone": "１３８００００００４１"}).status_code == 302
    # The same number in ASCII is the same person: no second place.
    again = Client().post(url, {**data, "phone": "13800000041"})
    assert again["Location"] == url
    signup = SignUp.objects.get(activity=activity)
    assert signup.phone_hash == crypto.blind_index("13800000041")


# --- the area code ---------------------------------------------------------------------------


def test_the_area_code_must_be_a_provinces():
    for code in ("000000", "990101", "510000", "100101"):
        with pytest.raises(ValidationError) as refused:
            pii.validate_resident_id(valid_id(f"{code}19900101001"))
        assert refused.value.code == "id_region", code
    # A retired county code of a real province stays valid (IDs keep it for life), and so
    # do the residence permits of Hong Kong, Macao and Taiwan residents.
    for code in ("513021", "510122", "810000", "830000"):
        pii.validate_resident_id(valid_id(f"{code}19900101001"))


def test_area_code_000000_is_refused_on_every_path(as_persona):
    before = fingerprint()
    page = english(as_persona("county_a")).post(
        reverse("people:person_create"),
        {"name": "区划零", "doc_type": "id", "id_number": zero_area_id(), "region": "510104"},
    )
    assert page.status_code == 400
    assert "are not the code of a region of China" in page.content.decode()
    api = english(as_persona("county_a")).post(
        reverse("api:person-list"),
        {"name": "区划零", "doc_type": "id", "id_number": zero_area_id(), "region": "510104"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["fields"]["id_number"] == [
        "The first six digits of this ID number (000000) are not the code of a region of "
        "China; please check the number."
    ]
    public = english().post(
        reverse("people:join_form", args=["volunteer"]),
        {
            "name": "区划零",
            "doc_type": "id",
            "id_number": zero_area_id(),
            "phone": "13700012346",
            "region": "510104",
            "consent": "on",
        },
    )
    assert public.status_code == 400
    assert "are not the code of a region of China" in public.content.decode()
    assert fingerprint() == before


# --- control and bidi characters ---------------------------------------------------------------


def test_the_clean_text_validators():
    for name in UNSAFE_NAMES:
        with pytest.raises(ValidationError):
            validate_clean_line(name)
    validate_clean_line("阿卜杜热合曼·麦麦提")  # a middle dot is a name's
    validate_clean_text("第一行\n第二行\t缩进")
    with pytest.raises(ValidationError):
        validate_clean_text(f"说明{RLO}文字")


def test_every_text_column_of_every_model_refuses_unsafe_characters():
    from django.apps import apps
    from django.db.models import CharField, TextField

    for model in apps.get_models():
        if not model.__module__.startswith("kepu."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, CharField):
                assert validate_clean_line in field.validators, field
            elif isinstance(field, TextField):
                assert validate_clean_text in field.validators, field


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_a_public_sign_up_refuses_a_hidden_character(name):
    activity = make_activity(capacity=5)
    response = english().post(
        reverse("activities:event", args=[activity.pk]),
        {"name": name, "phone": "13800000051", "key_group": "youth", "consent": "on"},
    )
    assert response.status_code == 400
    assert "invisible control or text-direction characters" in response.content.decode()
    assert not SignUp.objects.filter(activity=activity).exists()


def test_officer_pages_the_api_and_the_public_api_refuse_bidi_in_names(as_persona):
    before = fingerprint()
    officer = english(as_persona("county_a"))
    page = officer.post(
        reverse("people:person_create"),
        {
            "name": f"张{RLO}三",
            "doc_type": "id",
            "id_number": valid_id("51010419920202009"),
            "region": "510104",
            "title_level": "none",
        },
    )
    assert page.status_code == 400
    assert "invisible control or text-direction characters" in page.content.decode()
    api = officer.post(
        reverse("api:person-list"),
        {
            "name": f"张{RLO}三",
            "doc_type": "id",
            "id_number": valid_id("51010419920202009"),
            "region": "510104",
            "title_level": "none",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and list(api.json()["fields"]) == ["name"]
    from kepu.volunteering.tests.test_api import public_data

    order = english().post(
        reverse("api:public-order-list"),
        public_data(name=f"李{RLO}奶奶"),
        content_type="application/json",
    )
    assert order.status_code == 400, order.json()
    assert "invisible control or text-direction characters" in str(order.json())
    assert fingerprint() == before


def test_an_activity_title_with_bidi_is_refused(as_persona):
    from kepu.activities.tests.test_activities import form_data

    before = fingerprint()
    response = english(as_persona("member")).post(
        reverse("activities:activity_create"), form_data(title=f"开放日{RLO}txt.exe")
    )
    assert response.status_code == 400
    assert "invisible control or text-direction characters" in response.content.decode()
    assert fingerprint() == before


def test_the_import_refuses_bidi_names_and_reads_full_width_numbers(as_persona, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("zh-hans"):  # the upload is read in the request's language
        headers = [str(c.header) for c in person_columns()]
    good = valid_id("51010419930303003")
    rows = [
        [f"导入{RLO}人", "", valid_id("51010419930303001"), "13800000061", "", "510104"],
        ["全角导入", "", good.translate(FULL_WIDTH), "１３８００００００６２", "", "510104"],
        ["区划零", "", zero_area_id(), "13800000063", "", "510104"],
    ]
    rows = [row + [""] * (len(headers) - len(row)) for row in rows]
    response = as_persona("county_a").post(
        reverse("core:import_start", args=["people.person"]),
        {"file": workbook(rows, headers=headers)},
    )
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    by_row = {}
    for error in job.errors:
        by_row.setdefault(error["row"], []).append(error)
    assert sorted(by_row) == [2, 4], job.errors
    assert by_row[2][0]["column"] == "姓名"
    assert by_row[4][0]["column"] == "证件号码"


# --- passwords -------------------------------------------------------------------------------


def test_every_password_refusal_is_translated(as_persona):
    client = as_persona("county_a")
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": django_settings.DEMO_PASSWORD,
            "new_password1": "a1",
            "new_password2": "a1",
        },
    )
    # Django 5.2's own sentence has no Chinese translation; ours is in the catalog.
    assert "It must contain at least" not in response.content.decode()
    english_page = english(client).post(
        reverse("core:password_change"),
        {
            "old_password": django_settings.DEMO_PASSWORD,
            "new_password1": "a1",
            "new_password2": "a1",
        },
    )
    assert "This password is too short: it needs at least 8 characters." in (
        english_page.content.decode()
    )
