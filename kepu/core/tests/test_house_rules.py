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


# --- audit action codes ---------------------------------------------------------------------

PAST_IRREGULAR = {
    "made",
    "sent",
    "held",
    "built",
    "set",
    "reset",
    "read",
    "run",
    "kept",
    "found",
    "paid",
    "done",
}


def _recorded_codes() -> dict[str, str]:
    """Every literal action code passed to `audit.record(...)` or as `action=` to an
    export helper in the source, with where it is."""
    import ast

    codes = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            candidates = []
            if name == "record" and node.args:
                candidates.append(node.args[0])
            candidates += [k.value for k in node.keywords if k.arg == "action" and name != "record"]
            for arg in candidates:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if literal and arg.value.count(".") == 2:
                    codes[arg.value] = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
    return codes


def test_every_audit_action_has_a_label_and_one_tense():
    """The auditor reads labels, not codes; and a code says what happened (past)."""
    from kepu.core.audit import ACTION_LABELS

    codes = _recorded_codes()
    assert len(codes) > 50
    unlabelled = sorted(
        f"{code} ({where})" for code, where in codes.items() if code not in ACTION_LABELS
    )
    assert not unlabelled, f"audit action codes without a label: {unlabelled}"

    def past(code):
        words = code.rsplit(".", 1)[1].split("_")
        return any(w.endswith(("ed", "en", "wn")) or w in PAST_IRREGULAR for w in words)

    present = sorted(f"{code} ({where})" for code, where in codes.items() if not past(code))
    assert not present, f"audit action codes not in the past tense: {present}"
