"""Helpers shared by the plan services."""

from __future__ import annotations

from kepu.core import audit

ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


def _inside(region, ancestor) -> bool:
    return region.path.startswith(ancestor.path)


def _apply(obj, fields, values: dict, *, check=None) -> dict:
    """Set `values` (only names in `fields`), validate (the model, then `check(obj)`),
    save, and return the changes for the audit trail."""
    before = audit.snapshot(obj)
    for name, value in values.items():
        if name not in fields:
            raise TypeError(f"{name} cannot be changed here")
        setattr(obj, name, value)
    obj.full_clean()
    if check is not None:
        check(obj)
    obj.save()
    return audit.diff(before, audit.snapshot(obj))
