"""The backup and restore drill: back up, restore into a fresh database (SQLite file, or a
PostgreSQL database of its own, dropped afterwards), and prove the copy — equal row counts,
an intact audit chain, the same decrypted personal data — and the refusals (a non-empty
target, keys that are not the backup's)."""

import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from kepu.core import backup, crypto
from kepu.core.backup import BackupError
from kepu.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(tmp_path):
    """A fresh database URL of the test's vendor (a PostgreSQL one is dropped after)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    cfg = connection.settings_dict
    name = f"kepu_restore_{os.getpid()}"
    auth = f"{cfg['USER']}:{cfg['PASSWORD']}@" if cfg.get("PASSWORD") else f"{cfg['USER']}@"
    yield f"postgres://{auth}{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{name}"
    with backup._pg_connect(cfg, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _decrypted(queryset):
    return [
        (p.pk, crypto.open_sealed(p.id_number_enc), crypto.open_sealed(p.phone_enc))
        for p in queryset.exclude(id_number_enc="").order_by("pk")[:25]
    ]


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    """The platform's KEPU_VAR_DIR, with a file of its own beside the media."""
    settings.VAR_DIR = tmp_path / "platform-var"
    (settings.VAR_DIR / "static").mkdir(parents=True)
    (settings.VAR_DIR / "static" / "app.css").write_text("rebuilt by collectstatic")
    (settings.VAR_DIR / "maps").mkdir()
    (settings.VAR_DIR / "maps" / "510000.json").write_text("{}")
    settings.STATIC_ROOT = settings.VAR_DIR / "static"
    return settings.VAR_DIR


def test_backup_restores_into_a_fresh_database(tmp_path, target, settings, capsys):
    default_storage.save("imports/drill.txt", ContentFile(b"uploaded before the backup"))
    archive = tmp_path / "kepu.tar"
    call_command("backup", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = backup.read_manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["files"]["media/imports/drill.txt"]["size"] == 26
    assert "var/maps/510000.json" in manifest["files"]
    assert not [name for name in manifest["files"] if "static" in name]
    assert manifest["tables"]["people_person"] >= 300
    assert manifest["audit_head"]["seq"] > 0
    assert "core.0010_audit_hash_chain" in manifest["migrations"]
    # Fingerprints only: no key material in the archive.
    raw = archive.read_bytes()
    for spec in (settings.FIELD_KEYS, settings.AUDIT_KEYS):
        assert spec.split(":", 1)[1].split(",")[0].encode() not in raw
    assert settings.BLIND_INDEX_KEY.encode() not in raw

    media, var = tmp_path / "media", tmp_path / "var"
    call_command(
        "restore", str(archive), database_url=target, media_root=str(media), var_dir=str(var)
    )
    out = capsys.readouterr().out
    assert "row counts equal the manifest; audit chain intact" in out
    assert (media / "imports/drill.txt").read_bytes() == b"uploaded before the backup"
    assert (var / "maps/510000.json").read_text() == "{}"

    with backup.database(backup.dj_database_url.parse(target)) as alias:
        restored = _decrypted(Person.objects.using(alias))
        assert len(restored) == 25
        assert restored == _decrypted(Person.objects.filter(pk__in=[r[0] for r in restored]))

    # A second restore would overwrite the first: refused without --force.
    with pytest.raises(BackupError, match="not empty"):
        backup.restore(
            archive, database_url=target, media_root=tmp_path / "m2", var_dir=tmp_path / "v2"
        )
    with pytest.raises(BackupError, match="exists: restore into empty directories"):
        backup.restore(archive, database_url=target, media_root=media, var_dir=var)
    # Without the backup's keys the data would be unreadable: said before anything is done.
    settings.FIELD_KEYS = f"k7:{crypto.new_key()}"
    with pytest.raises(BackupError, match="KEPU_FIELD_KEYS has no key"):
        backup.restore(archive, database_url=target, media_root=media, var_dir=var)


def test_restore_finds_a_count_that_differs(tmp_path, target):
    archive = tmp_path / "kepu.tar"
    backup.backup(archive, log=lambda *_: None)
    manifest = backup.read_manifest(archive)
    manifest["tables"]["people_person"] += 1
    report = backup.restore(
        archive, database_url=target, media_root=tmp_path / "m", var_dir=tmp_path / "v"
    )
    assert report.ok
    checked = backup.verify_restored(backup.dj_database_url.parse(target), manifest)
    assert checked.mismatched == {
        "people_person": [
            manifest["tables"]["people_person"],
            manifest["tables"]["people_person"] - 1,
        ]
    }
    assert not checked.ok
