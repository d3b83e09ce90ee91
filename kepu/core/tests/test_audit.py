"""The audit trail: append-only in the model and in the database, fail-closed, searchable
and exportable only by the audit administrator, retained for at least six months."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from kepu.core import audit, services
from kepu.core.models import AuditEntry, Organization, Region, User
from kepu.core.testing import WriteTracker

pytestmark = pytest.mark.django_db


def entry():
    return audit.record("core.test.recorded", detail={"n": 1})


def test_model_refuses_update_and_delete():
    e = entry()
    e.action = "changed"
    with pytest.raises(TypeError):
        e.save()
    with pytest.raises(TypeError):
        e.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=e.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=e.pk).delete()


def test_database_refuses_update_and_recent_delete():
    e = entry()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [e.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [e.pk])
    assert AuditEntry.objects.get(pk=e.pk).action == "core.test.recorded"


def test_retention_purge_keeps_the_window(settings):
    """The purge deletes only a prefix of the chain older than the cutoff (the whole
    mechanism is in test_audit_chain.py): entries inside the window always stay."""
    recent = entry()
    cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    assert settings.AUDIT_RETENTION_DAYS >= 190
    inside = AuditEntry.objects.filter(created_at__gte=cutoff).count()
    AuditEntry.objects.purge_before(cutoff)
    assert AuditEntry.objects.filter(created_at__gte=cutoff).count() == inside
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_a_failed_audit_write_rolls_the_change_back(monkeypatch):
    actor = User.objects.get(username="demo-county-a")

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(AuditEntry.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.create_organization(
            actor=actor,
            name="不应保存",
            org_type="school",
            region=Region.objects.get(code="510104"),
        )
    assert not Organization.objects.filter(name="不应保存").exists()


def test_personal_data_is_masked_in_diffs():
    audit.register_masker("test_phone", lambda v: v and v[:3] + "****" + v[-4:])
    changes = audit.diff({"test_phone": "13800001234"}, {"test_phone": "13900005678"})
    assert changes == {"test_phone": ["138****1234", "139****5678"]}


def test_auditor_searches_and_exports(as_persona):
    as_persona("county_a").post(
        reverse("core:organization_create"),
        {"name": "审计示例", "org_type": "school", "region": "510104"},
    )
    client = as_persona("auditor")
    page = client.get(
        reverse("core:audit_list"), {"actor": "demo-county-a", "action": "core.organization"}
    )
    html = page.content.decode()
    assert "core.organization.created" in html and "审计示例" in html
    response = client.get(reverse("core:audit_export"), {"actor": "demo-county-a"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0] == "时间" and any("审计示例" in str(r) for r in rows)
    assert AuditEntry.objects.filter(action="core.auditentry.exported").exists()


def test_no_endpoint_changes_an_entry(as_persona):
    e = entry()
    client = as_persona("auditor")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(reverse("core:audit_detail", args=[e.pk]))
        assert response.status_code in (403, 405)
    assert AuditEntry.objects.get(pk=e.pk).action == "core.test.recorded"


def test_the_write_tracker_catches_an_unaudited_write():
    tracker = WriteTracker()
    with connection.execute_wrapper(tracker):
        tracker.started({"PATH_INFO": "/sneaky/"})
        Organization.objects.filter(name="四川省教育厅").update(address="x")
        tracker.finished()
        tracker.started({"PATH_INFO": "/honest/"})
        Organization.objects.filter(name="四川省教育厅").update(address="y")
        entry()
        tracker.finished()
    assert tracker.violations == ["/sneaky/ wrote ['core_organization'] without audit"]


def test_denials_are_security_events(as_persona):
    as_persona("county_a").get(reverse("core:audit_list"))
    as_persona("volunteer").get(reverse("api:organization-list"))
    denied = AuditEntry.objects.filter(action="core.access.denied", outcome="denied")
    assert {e.actor_username for e in denied} >= {"demo-county-a", "demo-volunteer"}
    assert denied.filter(detail__path="/audit/").exists()


def test_purge_command_keeps_the_retention_window(capsys):
    from django.core.management import call_command

    AuditEntry.objects.create(
        action="core.test.ancient", created_at=timezone.now() - timedelta(days=999)
    )
    cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    inside = AuditEntry.objects.filter(created_at__gte=cutoff).count()
    call_command("purge_audit")
    # Written after today's entries, the ancient entry waits for them (a prefix is purged).
    assert AuditEntry.objects.filter(action="core.test.ancient").exists()
    assert AuditEntry.objects.filter(created_at__gte=cutoff).count() == inside + 1
    assert AuditEntry.objects.filter(action="core.auditentry.purged").exists()
    assert "0 entries" in capsys.readouterr().out
