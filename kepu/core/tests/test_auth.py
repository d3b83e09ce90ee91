"""Login security (MLPS level-3 preset): password rules, lockout, timeouts, TOTP for the
three administrator roles, separation of duties, headers and cookies."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import services
from kepu.core.choices import Role
from kepu.core.errors import DomainError
from kepu.core.middleware import SESSION_LOGIN_AT
from kepu.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db
PASSWORD = settings.DEMO_PASSWORD


def post_login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def code_for(username, offset=0):
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    value = totp(device.bin_key, step=device.step, t0=device.t0, drift=offset)
    return f"{value:06d}"


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short1A", False),  # 7 characters
        ("alllowercase", False),  # one class
        ("lowercase123", False),  # two classes
        ("Password123", False),  # common password
        ("Kepu-volunteer-2025", True),
        ("科普工作Abc12", True),  # non-ASCII counts as "other"
    ],
)
def test_password_rules(password, ok):
    user = User(username="someone")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_last_five_passwords_cannot_be_reused():
    user = services.create_user(actor=None, username="rotator", password="First#Pass2025")
    passwords = [f"Second#Pass{n}x" for n in range(5)]
    for password in passwords:
        services.change_password(user, actor=user, new_password=password)
    with pytest.raises(ValidationError):
        services.change_password(user, actor=user, new_password=passwords[-1])
    with pytest.raises(ValidationError):
        services.change_password(user, actor=user, new_password=passwords[1])
    services.change_password(user, actor=user, new_password="First#Pass2025")  # 6 ago: allowed


def test_login_logout_and_failures_are_audited():
    client = Client()
    assert post_login(client, "demo-county-a", "wrong").status_code == 200
    assert AuditEntry.objects.filter(
        action="core.user.login_failed", detail__username="demo-county-a"
    ).exists()
    response = post_login(client, "demo-county-a")
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert AuditEntry.objects.filter(action="core.user.logged_in", actor_username="demo-county-a")
    client.post(reverse("core:logout"))
    assert AuditEntry.objects.filter(action="core.user.logged_out").exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_lockout_after_five_failures_for_fifteen_minutes():
    client = Client()
    for _ in range(5):
        post_login(client, "demo-county-b", "wrong")
    response = post_login(client, "demo-county-b")  # the right password, still locked
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="core.user.locked_out").exists()
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    # The security administrator unlocks the account.
    secadmin = User.objects.get(username="demo-secadmin")
    services.unlock_user(User.objects.get(username="demo-county-b"), actor=secadmin)
    assert post_login(Client(), "demo-county-b").status_code == 302


def test_idle_timeout_is_thirty_minutes_and_sliding(as_persona):
    """The session is renewed at most once a minute (not written on every request), and
    a renewal moves its expiry 30 minutes ahead."""
    from django.contrib.sessions.models import Session

    from kepu.core.middleware import SESSION_SEEN_AT

    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_TOUCH_SECONDS == 60
    client = as_persona("county_a")
    key = client.session.session_key
    client.get(reverse("core:session_status"))
    expiry = Session.objects.get(session_key=key).expire_date
    client.get(reverse("core:session_status"))  # within the minute: no write
    assert Session.objects.get(session_key=key).expire_date == expiry
    session = client.session
    session[SESSION_SEEN_AT] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=expiry - timedelta(minutes=5))
    response = client.get(reverse("core:session_status"))
    assert response.json()["idle_seconds_left"] == 1800
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > expiry - timedelta(minutes=5)
    assert renewed >= timezone.now() + timedelta(seconds=1790)


def test_session_status_is_private_and_uncached(as_persona):
    client = as_persona("county_a")
    response = client.get(reverse("core:session_status"))
    assert response.json() == {"authenticated": True, "idle_seconds_left": 1800}
    assert "no-store" in response["Cache-Control"]
    assert client.post(reverse("core:session_status")).status_code == 405
    anonymous = Client().get(reverse("core:session_status"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("core:login"))


def test_absolute_session_lifetime(as_persona):
    client = as_persona("county_a")
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "expired=1" in response.url


def test_administrators_need_a_second_factor():
    client = Client()
    response = post_login(client, "demo-auditor")
    assert response.status_code == 302 and response.url.startswith(reverse("core:login_otp"))
    assert client.get(reverse("core:audit_list")).status_code == 302  # not logged in yet
    wrong = client.post(reverse("core:login_otp"), {"token": "000000"})
    assert wrong.status_code == 200
    assert AuditEntry.objects.filter(action="core.user.otp_failed").exists()
    # django-otp delays the next attempt after a failure (1 s, doubling); skip the wait.
    TOTPDevice.objects.filter(user__username="demo-auditor").update(throttling_failure_count=0)
    token = code_for("demo-auditor")
    response = client.post(reverse("core:login_otp"), {"token": token})
    assert response.status_code == 302
    assert client.get(reverse("core:audit_list")).status_code == 200
    # The same code cannot be used twice.
    other = Client()
    post_login(other, "demo-auditor")
    assert other.post(reverse("core:login_otp"), {"token": token}).status_code == 200


def test_administrator_without_device_must_enroll():
    admin = services.create_user(
        actor=None, username="new-sysadmin", password="Admin#Pass2025", must_change_password=False
    )
    services.assign_role(admin, actor=None, role=Role.SYSTEM_ADMIN)
    client = Client()
    response = post_login(client, "new-sysadmin", "Admin#Pass2025")
    assert response.url.startswith(reverse("core:login_enroll"))
    page = client.get(reverse("core:login_enroll"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    token = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("core:login_enroll"), {"token": token})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert client.get(reverse("core:user_list")).status_code == 200


def test_administrator_session_without_otp_is_ended():
    client = Client()
    client.force_login(User.objects.get(username="demo-sysadmin"))
    session = client.session
    session[SESSION_LOGIN_AT] = time.time()
    session.save()
    assert client.get(reverse("core:user_list")).status_code == 302


def test_optional_totp_for_other_users(as_persona):
    client = as_persona("county_a")
    page = client.post(reverse("core:security"), {"action": "start_totp"})
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="demo-county-a", confirmed=False)
    client.post(
        reverse("core:security"), {"action": "confirm_totp", "token": f"{totp(device.bin_key):06d}"}
    )
    assert TOTPDevice.objects.get(user__username="demo-county-a").confirmed
    fresh = Client()
    assert post_login(fresh, "demo-county-a").url.startswith(reverse("core:login_otp"))
    client.post(reverse("core:security"), {"action": "disable_totp"})
    assert not TOTPDevice.objects.filter(user__username="demo-county-a").exists()


def test_separation_of_duties():
    auditor = User.objects.get(username="demo-auditor")
    secadmin = User.objects.get(username="demo-secadmin")
    with pytest.raises(DomainError):
        services.assign_role(auditor, actor=secadmin, role=Role.SECURITY_ADMIN)
    with pytest.raises(DomainError):
        region = User.objects.get(username="demo-county-a").assignments()[0].region
        services.assign_role(auditor, actor=secadmin, role=Role.REGIONAL_OFFICER, region=region)
    officer = User.objects.get(username="demo-county-a")
    with pytest.raises(DomainError):
        services.assign_role(officer, actor=secadmin, role=Role.AUDIT_ADMIN)
    with pytest.raises(DomainError):
        services.assign_role(
            secadmin, actor=secadmin, role=Role.REVIEWER, region=officer.assignments()[0].region
        )


def test_new_account_must_change_password(as_persona):
    sysadmin = as_persona("sysadmin")
    response = sysadmin.post(
        reverse("core:user_create"),
        {
            "username": "new-officer",
            "full_name": "新同事",
            "password": "Start#Pass2025",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client = Client()
    post_login(client, "new-officer", "Start#Pass2025")
    response = client.get(reverse("core:security"))
    assert response.status_code == 302 and response.url == reverse("core:password_change")
    client.post(
        reverse("core:password_change"),
        {
            "old_password": "Start#Pass2025",
            "new_password1": "Next#Pass20250",
            "new_password2": "Next#Pass20250",
        },
    )
    assert client.get(reverse("core:security")).status_code == 200


def test_disabled_account_loses_its_session(as_persona):
    client = as_persona("county_b")
    services.update_user(User.objects.get(username="demo-county-b"), actor=None, is_active=False)
    assert client.get(reverse("core:home")).status_code == 302


def test_security_headers_and_cookies():
    client = Client()
    response = client.get(reverse("core:login"))
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]
    post_login(client, "demo-county-a")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_forwarded_for_is_ignored_from_untrusted_peers(settings):
    client = Client()
    client.post(
        reverse("core:login"),
        {"username": "spoof", "password": "x"},
        HTTP_X_FORWARDED_FOR="8.8.8.8",
    )
    entry = AuditEntry.objects.filter(action="core.user.login_failed").latest("pk")
    assert entry.ip == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        reverse("core:login"),
        {"username": "spoof2", "password": "x"},
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    assert AuditEntry.objects.filter(action="core.user.login_failed").latest("pk").ip == "10.1.2.3"


def test_error_pages_are_generic(as_persona):
    response = as_persona("county_a").get("/organizations/999999999/")
    assert response.status_code == 404 and "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["county_a", "member", "volunteer", "sysadmin", "secadmin", "auditor"]
)
def test_each_role_starts_on_the_workbench(as_persona, persona):
    response = as_persona(persona).get(reverse("core:home"))
    assert response.status_code == 200 and reverse("core:home") == "/workbench/"
