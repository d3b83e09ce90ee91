"""Invariants of the stored data: the states the services can produce, stated once.

Each app's `invariants.py` registers checks with `@invariant("app")`. A check is a
function without arguments that yields one sentence per violation (naming the rows), and
runs a bounded number of SQL queries whatever the size of the data. The demo test (data
made through the services) and the dataset test (bulk rows written directly for the
benchmark) both run `check()`: the bulk writer must produce only states the services
could have produced.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from django.apps import apps

_checks: dict[str, list[Callable[[], Iterable[str]]]] = {}


def invariant(app_label: str):
    """Decorator: register a check of `app_label`'s data."""

    def decorator(check):
        _checks.setdefault(app_label, []).append(check)
        return check

    return decorator


def _discover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("kepu."):
            try:
                importlib.import_module(f"{config.name}.invariants")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.invariants":
                    raise


def check(app_labels: Iterable[str] | None = None) -> list[str]:
    """Every violation of the registered invariants (an empty list when all hold)."""
    _discover()
    labels = list(app_labels) if app_labels is not None else sorted(_checks)
    problems: list[str] = []
    for label in labels:
        for fn in _checks.get(label, ()):
            problems.extend(f"{label}.{fn.__name__}: {p}" for p in fn())
    return problems


def registered() -> dict[str, list[str]]:
    _discover()
    return {label: [fn.__name__ for fn in fns] for label, fns in _checks.items()}
