"""Chinese by default, complete English, and a switch between them."""

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_message_is_translated():
    catalog = polib.pofile(str(settings.LOCALE_PATHS[0] / "zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    assert not missing, missing
    assert not [e.msgid for e in catalog if "fuzzy" in e.flags]


def test_chinese_by_default_even_for_english_browsers():
    page = Client().get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode() and "登录" in page.content.decode()


def test_switching_to_english():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("core:login")).content.decode()
    assert '<html lang="en">' in page and "Log in to the Kepu platform" in page


@pytest.mark.parametrize("persona", ["province", "county_a", "member", "volunteer", "auditor"])
def test_signed_in_pages_in_english(as_persona, persona):
    client = as_persona(persona)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html and "Log out" in html
