"""Readable versions: labels and values of a version's data, and what a version
changes against the one published before it (for pages and the API)."""

from __future__ import annotations

import difflib

from django.utils.translation import gettext as _

from kepu.core.models import Region
from kepu.resources import choices as c
from kepu.resources.models import (
    Resource,
    ResourceVersion,
)
from kepu.resources.services.content import (
    TAG_CHOICES,
    TAG_LISTS,
)

# --- versions ---------------------------------------------------------------------------


def display_value(name, value):
    if value in (None, "", []):
        return ""
    if name == "region":
        region = Region.objects.filter(code=value).first()
        return region.full_name if region else str(value)
    if name in TAG_LISTS:
        labels = dict(TAG_CHOICES[name])
        return "、".join(str(labels.get(v, v)) for v in value)
    field = Resource._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def field_label(name):
    if name in TAG_LISTS:
        return {
            "groups": _("Audience groups"),
            "topics": _("Topics"),
            "hazards": _("Hazard types"),
        }[name]
    return str(Resource._meta.get_field(name).verbose_name)


def version_diff(old: dict | None, new: dict) -> list[dict]:
    """What changed between two versions' data, readable: one row per changed field with
    its label, the old and new text, and for long texts a line diff (`lines`: pairs of
    "-", "+" or " " and the line)."""
    old = old or {}
    rows = []
    for name in [*Resource.CONTENT_FIELDS, *TAG_LISTS]:
        before, after = old.get(name), new.get(name)
        if before == after or (before in (None, "", []) and after in (None, "", [])):
            continue
        row = {
            "field": name,
            "label": field_label(name),
            "old": display_value(name, before),
            "new": display_value(name, after),
            "lines": [],
        }
        if isinstance(after, str) and (len(after) > 120 or "\n" in after):
            for line in difflib.ndiff(str(before or "").splitlines(), after.splitlines()):
                if line[:1] in "-+ " and not line.startswith("?"):
                    row["lines"].append((line[:1], line[2:]))
        rows.append(row)
    return rows


def previous_data(version: ResourceVersion) -> dict | None:
    """The data of the version before `version` that was published (what it changes)."""
    earlier = (
        version.resource.versions.filter(
            number__lt=version.number,
            status__in=(c.VersionStatus.APPROVED, c.VersionStatus.SUPERSEDED),
        )
        .order_by("-number")
        .first()
    )
    return earlier.data if earlier else None
