"""House rules that are checked, not remembered: module size, every model scoped or
declared unscoped, every app's invariants hold on the demo data."""

from pathlib import Path

from django.apps import apps

from kepu.core import scope

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 800


def test_no_module_over_800_lines():
    """A module past 800 lines becomes a package split by aggregate (migrations aside)."""
    too_long = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "static" in path.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{path.relative_to(ROOT.parent)}: {lines}")
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_every_model_is_scoped_or_declared_unscoped():
    """Deny by default is only safe when nobody forgets a model: each model of the
    platform is registered with the scope engine or declared unscoped with a reason."""
    registered = set(scope.registered_models())
    unscoped = scope.unscoped_models()
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("kepu.")
        and model not in registered
        and model not in unscoped
    ]
    assert not missing, f"models neither registered with the scope engine nor declared: {missing}"
    both = [m._meta.label for m in registered & set(unscoped)]
    assert not both, f"models both registered and declared unscoped: {both}"
    assert all(reason.strip() for reason in unscoped.values())


def test_every_app_with_bulk_data_states_its_invariants():
    """Each app that writes benchmark rows in bulk (`dataset.py`) states the invariants
    those rows must keep; each app's demo test and the dataset test run them."""
    import importlib.util

    from kepu.core import invariants

    registered = invariants.registered()
    missing = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("kepu.")
        and config.label != "core"
        and importlib.util.find_spec(f"{config.name}.dataset") is not None
        and not registered.get(config.label)
    ]
    assert not missing, f"apps with a bulk dataset but no invariants: {missing}"
