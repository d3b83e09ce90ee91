"""Migrations keep the indexes and constraints of the models they create inside the
CreateModel (`scripts/optimize_migrations.py` folds them): each separate AddIndex or
AddConstraint re-renders the model and its relations, which doubled the time every test
database took to migrate."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "optimize_migrations.py"


def test_no_migration_can_be_folded():
    spec = importlib.util.spec_from_file_location("optimize_migrations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [f"{m.app_label}.{m.name}" for m, _ops in module.foldable()]
    assert not found, (
        f"fold these migrations' indexes and constraints into their CreateModel: {found} "
        "(.venv/bin/python scripts/optimize_migrations.py)"
    )
