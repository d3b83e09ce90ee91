"""`scripts/audit_deps.py` (`make audit-deps`): a vulnerability fails, an unaudited package
is never reported as clean, and `--strict` fails on it. No network: both sources stubbed."""

import importlib.util
import pathlib

import pytest

PATH = pathlib.Path(__file__).resolve().parents[3] / "scripts" / "audit_deps.py"
spec = importlib.util.spec_from_file_location("audit_deps", PATH)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


@pytest.fixture
def requirements(tmp_path):
    path = tmp_path / "req.txt"
    path.write_text(
        "# pinned\nDjango==5.2.19\n    # via -r base.in\nruff==0.17.6\nattrs[x]==26.1.0\n"
    )
    return str(path)


def stub(monkeypatch, *, vulns=None, skipped=None, problem="", projects=None):
    monkeypatch.setattr(
        audit_deps, "run_pip_audit", lambda files, timeout: (vulns or {}, skipped or {}, problem)
    )
    monkeypatch.setattr(
        audit_deps, "fetch_project", lambda name, timeout: (projects or {}).get(name)
    )


def test_pins_are_read_with_canonical_names(requirements):
    assert audit_deps.pins([requirements]) == {
        "django": "5.2.19",
        "ruff": "0.17.6",
        "attrs": "26.1.0",
    }


def test_a_vulnerability_fails(monkeypatch, requirements, capsys):
    stub(monkeypatch, vulns={"django": ["PYSEC-2026-1"]})
    assert audit_deps.main(["-r", requirements]) == 1
    assert "VULNERABLE django==5.2.19: PYSEC-2026-1" in capsys.readouterr().out


def test_skipped_packages_are_not_audited_not_clean(monkeypatch, requirements, capsys):
    reason = "Dependency not found on PyPI and could not be audited"
    latest = {"info": {"version": "0.17.6"}, "vulnerabilities": []}
    older = {"info": {"version": "6.1.3"}, "vulnerabilities": []}
    stub(
        monkeypatch,
        skipped={"django": reason, "ruff": reason, "attrs": reason},
        projects={"ruff": latest, "django": older},  # attrs: unreachable
    )
    assert audit_deps.main(["-r", requirements]) == 0
    out = capsys.readouterr().out
    assert "1 of 3 pinned packages audited" in out
    assert "2 of 3 packages could not be audited" in out and "NOT audited" in out
    assert "django==5.2.19: not audited: pinned 5.2.19, latest 6.1.3" in out
    assert audit_deps.main(["-r", requirements, "--strict"]) == 1


def test_the_latest_release_data_can_find_a_vulnerability(monkeypatch, requirements):
    project = {
        "info": {"version": "0.17.6"},
        "vulnerabilities": [{"id": "GHSA-x", "withdrawn": None}, {"id": "old", "withdrawn": "x"}],
    }
    stub(monkeypatch, skipped={"ruff": "not found"}, projects={"ruff": project})
    assert audit_deps.main(["-r", requirements]) == 1


def test_pip_audit_failing_leaves_everything_unaudited(monkeypatch, requirements, capsys):
    stub(monkeypatch, problem="pip-audit did not finish within 60 s")
    assert audit_deps.main(["-r", requirements]) == 0
    assert "3 of 3 packages could not be audited" in capsys.readouterr().out
