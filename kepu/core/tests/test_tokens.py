"""API tokens (problem #10 of the security review): they stop working when the password
changes or is reset, when the account is locked out or disabled, and when they expire
(KEPU_API_TOKEN_DAYS); their owner lists and revokes them on a page of their own."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import ApiToken, AuditEntry, User
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


def new_token(username="demo-county-a") -> str:
    response = Client().post(
        reverse("api:token"),
        {"username": username, "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


def call(key):
    """An API call with the token, answered in English."""
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("api:organization-list")
    )


def refused(key, words):
    response = call(key)
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert words in body["message"], body["message"]


def test_a_password_change_revokes_the_tokens(as_persona):
    key = new_token("demo-county-b")
    assert call(key).status_code == 200
    response = as_persona("county_b").post(
        reverse("core:password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Next#Pass20250",
            "new_password2": "Next#Pass20250",
        },
    )
    assert response.status_code == 302
    refused(key, "the password was changed")
    entry = AuditEntry.objects.filter(action="core.apitoken.revoked").latest("pk")
    assert entry.detail == {"count": 1, "reason": "password"}


def test_a_password_reset_by_an_administrator_revokes_the_tokens(as_persona):
    key = new_token("demo-county-b")
    account = User.objects.get(username="demo-county-b")
    response = as_persona("sysadmin").post(
        reverse("core:user_reset_password", args=[account.pk]), {"new_password": "Temp#Pass2025x"}
    )
    assert response.status_code == 302
    refused(key, "the password was reset by an administrator")


def test_a_lockout_revokes_the_tokens():
    key = new_token("demo-county-b")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "demo-county-b", "password": "wrong"})
    refused(key, "the account was locked after failed logins")


def test_disabling_the_account_revokes_the_tokens_for_good(as_persona):
    key = new_token("demo-county-b")
    account = User.objects.get(username="demo-county-b")
    sysadmin = as_persona("sysadmin")
    url = reverse("core:user_update", args=[account.pk])
    data = {"full_name": account.full_name, "email": account.email, "region": ""}
    assert sysadmin.post(url, {**data, "is_active": ""}).status_code == 302
    refused(key, "the account was disabled")
    assert sysadmin.post(url, {**data, "is_active": "on"}).status_code == 302
    refused(key, "the account was disabled")  # reactivating does not bring it back


def test_tokens_expire_after_the_configured_lifetime(settings):
    settings.API_TOKEN_DAYS = 7
    key = new_token()
    token = ApiToken.objects.get(user__username="demo-county-a")
    lifetime = token.expires_at - token.created_at
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)
    assert call(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused(key, "This token expired on")
    refused("not-a-token", "Invalid token.")


def test_the_tokens_page_lists_and_revokes_ones_own_tokens(as_persona):
    key = new_token("demo-county-a")
    other = new_token("demo-county-b")
    client = as_persona("county_a")
    assert reverse("core:apitoken_list") in client.get(reverse("core:security")).content.decode()
    response = client.post(reverse("core:apitoken_list"), {"name": "数据同步脚本"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "数据同步脚本" in page and response.context["new_key"]
    mine = ApiToken.objects.filter(user__username="demo-county-a")
    assert mine.count() == 2
    assert all(t.prefix in page for t in mine)
    theirs = ApiToken.objects.get(user__username="demo-county-b")
    assert theirs.prefix not in page
    # Someone else's token: not found, nothing changes.
    before = fingerprint()
    response = client.post(reverse("core:apitoken_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    assert fingerprint() == before and call(other).status_code == 200
    # One's own: revoked, audited, still listed as revoked.
    token = ApiToken.objects.get(prefix=key[:8])
    response = client.post(reverse("core:apitoken_revoke", args=[token.pk]))
    assert response.status_code == 302
    refused(key, "revoked by its owner")
    assert AuditEntry.objects.filter(
        action="core.apitoken.revoked", detail__token=token.prefix, actor_username="demo-county-a"
    ).exists()
    page = client.get(reverse("core:apitoken_list")).content.decode()
    assert token.prefix in page and reverse("core:apitoken_revoke", args=[token.pk]) not in page
