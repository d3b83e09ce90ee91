"""三员分立 (problem #6 of the security review): which administrator may act on which
account, tested as a matrix through HTTP — actor role × target account × action →
allowed or refused. A refusal is a 403 that changes nothing; an allowed action does what
it says. The expectations are written out here, not read from the rule table."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import services
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, Region, RoleAssignment, User
from kepu.core.testing import PERSONAS, fingerprint

pytestmark = pytest.mark.django_db

ACTIONS = ("change", "unlock", "reset_password", "reset_totp", "assign_role", "revoke_role")
TARGETS = ("ordinary", "sysadmin", "secadmin", "auditor", "self")

# (actor, target) -> the actions allowed; every other action is refused.
ALLOWED = {
    ("sysadmin", "ordinary"): {"change", "reset_password", "reset_totp"},
    ("secadmin", "ordinary"): {"unlock", "assign_role", "revoke_role"},
    ("secadmin", "sysadmin"): {"change", "unlock", "reset_password", "reset_totp", "revoke_role"},
    ("secadmin", "auditor"): {"change", "unlock", "reset_password", "reset_totp", "revoke_role"},
}
# Granting a second role to an administrator account: refused by the one-administrator-
# role rule (a message on the page) rather than by 三员分立.
COMBINATIONS = {("secadmin", "sysadmin", "assign_role"), ("secadmin", "auditor", "assign_role")}
NEW_PASSWORD = "Temp#Pass2025x"


def _targets(actor_username):
    """A fresh account of each kind (with a role and a second factor), and the actor's own."""
    region = Region.objects.get(code="510104")
    roles = {
        "ordinary": (Role.REGIONAL_OFFICER, region),
        "sysadmin": (Role.SYSTEM_ADMIN, None),
        "secadmin": (Role.SECURITY_ADMIN, None),
        "auditor": (Role.AUDIT_ADMIN, None),
    }
    accounts = {}
    for kind, (role, where) in roles.items():
        user = services.create_user(actor=None, username=f"duty-{kind}", password="Duty#Pass2025x")
        services.assign_role(user, actor=None, role=role, region=where)
        TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
        accounts[kind] = user
    accounts["self"] = User.objects.get(username=actor_username)
    return accounts


def _request(client, action, target):
    pk = target.pk
    if action == "change":
        data = {"full_name": "已改名", "email": "", "region": "", "is_active": ""}
        return client.post(reverse("core:user_update", args=[pk]), data)
    if action == "unlock":
        return client.post(reverse("core:user_unlock", args=[pk]))
    if action == "reset_password":
        return client.post(
            reverse("core:user_reset_password", args=[pk]), {"new_password": NEW_PASSWORD}
        )
    if action == "reset_totp":
        return client.post(reverse("core:user_reset_totp", args=[pk]))
    if action == "assign_role":
        return client.post(
            reverse("core:role_assign", args=[pk]), {"role": Role.REVIEWER, "region": "510105"}
        )
    assignment = RoleAssignment.objects.filter(user=target).first()
    return client.post(reverse("core:role_revoke", args=[assignment.pk]))


def _done(action, target, assignments_before) -> bool:
    """Whether the action took effect on `target`."""
    target = User.objects.get(pk=target.pk)
    if action == "change":
        return not target.is_active and target.full_name == "已改名"
    if action == "unlock":
        return AuditEntry.objects.filter(
            action="core.user.unlocked", object_id=str(target.pk)
        ).exists()
    if action == "reset_password":
        return target.check_password(NEW_PASSWORD) and target.must_change_password
    if action == "reset_totp":
        return not TOTPDevice.objects.filter(user=target).exists()
    if action == "assign_role":
        return RoleAssignment.objects.filter(user=target, role=Role.REVIEWER).exists()
    return RoleAssignment.objects.filter(user=target).count() == assignments_before - 1


@pytest.mark.parametrize("target_kind", TARGETS)
@pytest.mark.parametrize("actor", ["sysadmin", "secadmin", "auditor"])
def test_separation_of_duties_matrix(actor, target_kind, as_persona):
    accounts = _targets(PERSONAS[actor])
    target = accounts[target_kind]
    client = as_persona(actor)
    allowed = ALLOWED.get((actor, target_kind), set())
    for action in ACTIONS:
        with transaction.atomic():
            before = fingerprint()
            assignments = RoleAssignment.objects.filter(user=target).count()
            response = _request(client, action, target)
            outcome = f"{actor} → {target_kind}: {action} answered {response.status_code}"
            if action in allowed:
                assert response.status_code == 302, outcome
                assert _done(action, target, assignments), outcome
            elif (actor, target_kind, action) in COMBINATIONS:
                # Allowed by 三员分立, refused by the rule that an administrator role is
                # never combined with another: the page says so, nothing changes.
                assert response.status_code == 302, outcome
                assert fingerprint() == before, f"{outcome} but changed data"
            else:
                assert response.status_code == 403, outcome
                assert fingerprint() == before, f"{outcome} but changed data"
                assert not _done(action, target, assignments), outcome
            transaction.set_rollback(True)


@pytest.mark.parametrize(
    "actor, target, buttons",
    [
        ("sysadmin", "demo-county-b", {"user_update", "user_reset_password", "user_reset_totp"}),
        ("sysadmin", "demo-secadmin", set()),
        ("sysadmin", "demo-auditor", set()),
        (
            "secadmin",
            "demo-sysadmin",
            {"user_update", "user_reset_password", "user_reset_totp", "role_assign"},
        ),
        ("secadmin", "demo-county-b", {"role_assign"}),
        ("secadmin", "demo-secadmin", set()),
    ],
)
def test_account_page_shows_only_the_allowed_actions(actor, target, buttons, as_persona):
    account = User.objects.get(username=target)
    response = as_persona(actor).get(reverse("core:user_detail", args=[account.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("user_update", "user_reset_password", "user_reset_totp", "role_assign"):
        shown = reverse(f"core:{name}", args=[account.pk]) in page
        assert shown == (name in buttons), name
    if not buttons:
        assert 'class="alert alert-info"' in page  # the reason is shown


def test_security_administrator_cannot_grant_the_security_administrator_role(as_persona):
    account = User.objects.get(username="demo-county-b")
    client = as_persona("secadmin")
    page = client.get(reverse("core:user_detail", args=[account.pk])).content.decode()
    assert 'value="auditor"' in page and 'value="secadmin"' not in page
    ordinary = services.create_user(actor=None, username="duty-new", password="Duty#Pass2025x")
    before = fingerprint()
    response = client.post(reverse("core:role_assign", args=[ordinary.pk]), {"role": "secadmin"})
    assert response.status_code == 302
    assert fingerprint() == before
    assert not RoleAssignment.objects.filter(user=ordinary).exists()
    with pytest.raises(services.DomainError, match="三员分立"):
        services.assign_role(
            ordinary, actor=User.objects.get(username="demo-secadmin"), role=Role.SECURITY_ADMIN
        )


def test_auditor_reads_the_audit_of_both_other_administrators(as_persona):
    county_b = User.objects.get(username="demo-county-b")
    sysadmin = as_persona("sysadmin")
    sysadmin.post(
        reverse("core:user_update", args=[county_b.pk]),
        {"full_name": "审计对象", "email": "", "region": "", "is_active": "on"},
    )
    as_persona("secadmin").post(reverse("core:user_unlock", args=[county_b.pk]))
    auditor = as_persona("auditor")
    for username, action in (
        ("demo-sysadmin", "core.user.updated"),
        ("demo-secadmin", "core.user.unlocked"),
    ):
        entry = AuditEntry.objects.filter(actor_username=username, action=action).latest("pk")
        response = auditor.get(reverse("core:audit_list"), {"actor": username})
        assert response.status_code == 200
        assert auditor.get(reverse("core:audit_detail", args=[entry.pk])).status_code == 200
    # …and changes nothing: every account action is refused to the auditor.
    before = fingerprint()
    assert (
        auditor.post(
            reverse("core:user_update", args=[county_b.pk]),
            {"full_name": "x", "email": "", "region": "", "is_active": ""},
        ).status_code
        == 403
    )
    assert fingerprint() == before


def test_the_security_administrator_account_is_managed_on_the_server():
    """What no page may do (三员分立) the operator does with `manage.py security_admin`,
    through the services and audited."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    user = services.create_user(actor=None, username="duty-sec2", password="Duty#Pass2025x")
    call_command("security_admin", "grant", "duty-sec2", stdout=StringIO())
    assert User.objects.get(pk=user.pk).has_role(Role.SECURITY_ADMIN)
    call_command(
        "security_admin",
        "reset-password",
        "duty-sec2",
        password="Temp#Pass2025x",
        stdout=StringIO(),
    )
    assert User.objects.get(pk=user.pk).check_password("Temp#Pass2025x")
    call_command("security_admin", "disable", "duty-sec2", stdout=StringIO())
    assert not User.objects.get(pk=user.pk).is_active
    assert AuditEntry.objects.filter(action="core.user.password_reset", object_id=str(user.pk))
    with pytest.raises(CommandError, match="not a security administrator"):
        call_command("security_admin", "reset-password", "demo-county-b", password="x")
    call_command("security_admin", "revoke", "duty-sec2", stdout=StringIO())
    assert not User.objects.get(pk=user.pk).has_role(Role.SECURITY_ADMIN)
