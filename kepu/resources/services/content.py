"""The content of an entry and the helpers every service shares.

The content travels as a dict (`content`): the model's CONTENT_FIELDS with Python values
(a Region for `region`) plus the lists `groups`, `topics` and `hazards`. A version stores
the same content as plain JSON (`to_data` / `from_data`)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from kepu.core import clock, publiccache
from kepu.core.choices import KeyGroup, Topic
from kepu.core.errors import DomainError
from kepu.core.models import Region
from kepu.core.search import search_text
from kepu.resources import choices as c
from kepu.resources.models import (
    Resource,
    ResourceEvent,
    ResourceTag,
)

TAG_LISTS = {"groups": c.TagKind.GROUP, "topics": c.TagKind.TOPIC, "hazards": c.TagKind.HAZARD}
TAG_CHOICES = {"groups": KeyGroup.choices, "topics": Topic.choices, "hazards": c.HAZARD_CHOICES}


def review_years() -> int:
    return getattr(settings, "KEPU_RESOURCE_REVIEW_YEARS", 2)


# --- content <-> data -------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Region):
        return value.code
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_data(content: dict) -> dict:
    """The JSON form of a content dict (what a version stores)."""
    data = {}
    for name in Resource.CONTENT_FIELDS:
        if name in content:
            data[name] = _plain(content[name])
    for name in TAG_LISTS:
        data[name] = sorted(set(content.get(name) or []))
    return data


def from_data(data: dict) -> dict:
    """The content dict of a version's JSON (regions and dates as objects)."""
    content = {}
    for name in Resource.CONTENT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        field = Resource._meta.get_field(name)
        if name == "region":
            value = Region.objects.get(code=value)
        elif value in (None, "") and field.null:
            value = None
        elif field.get_internal_type() == "DateField" and value:
            value = datetime.date.fromisoformat(value)
        elif field.get_internal_type() == "DecimalField" and value is not None:
            value = Decimal(str(value))
        content[name] = value
    for name in TAG_LISTS:
        content[name] = list(data.get(name) or [])
    return content


def content_of(resource: Resource) -> dict:
    """The live content of an entry (fields and tags)."""
    content = {name: getattr(resource, name) for name in Resource.CONTENT_FIELDS}
    for name, kind in TAG_LISTS.items():
        content[name] = resource.codes(kind)
    return content


def check_content(resource_type, content: dict) -> None:
    """Refuse content that the catalog cannot hold, naming each field."""
    errors = {}
    for name in TAG_LISTS:
        values = {value for value, _label in TAG_CHOICES[name]}
        bad = [v for v in content.get(name) or [] if v not in values]
        if bad:
            errors[name] = _("Unknown values: %(values)s.") % {"values": "、".join(bad)}
    if not content.get("groups"):
        errors["groups"] = _("Choose at least one audience group.")
    if content.get("is_emergency") and not content.get("hazards"):
        errors["hazards"] = _("Name the hazards an emergency-library resource covers.")
    latitude, longitude = content.get("latitude"), content.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
    elif latitude is not None:
        try:
            lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        except InvalidOperation:
            lat = lon = None
        if lat is None or not (3 <= lat <= 54) or not (73 <= lon <= 136):
            errors["latitude"] = _("These coordinates are not in China.")
    if errors:
        raise DomainError(errors)


def missing_fields(resource_type, content: dict) -> list[str]:
    """Labels of the fields the type requires that are still empty (the completeness
    list the applicant and the officer see)."""
    missing = []
    for name in ["title", "summary", *Resource.REQUIRED_FIELDS.get(resource_type, [])]:
        if content.get(name) in (None, ""):
            missing.append(str(Resource._meta.get_field(name).verbose_name))
    if resource_type == c.ResourceType.PLACE and content.get("latitude") is None:
        missing.append(str(_("location on the map")))
    return missing


def set_fields(resource: Resource, content: dict) -> None:
    for name in Resource.CONTENT_FIELDS:
        if name in content:
            setattr(resource, name, content[name])
    # Fields that do not belong to the type are kept empty.
    own = set(Resource.COMMON_FIELDS) | set(resource.type_fields())
    for name in Resource.CONTENT_FIELDS:
        if name not in own:
            field = Resource._meta.get_field(name)
            setattr(resource, name, None if field.null else field.get_default())


def _set_tags(resource: Resource, content: dict) -> None:
    resource.tags.all().delete()
    ResourceTag.objects.bulk_create(
        ResourceTag(resource=resource, kind=kind, code=code)
        for name, kind in TAG_LISTS.items()
        for code in sorted(set(content.get(name) or []))
    )


def refresh_search_text(resource: Resource) -> None:
    owner = resource.organization.name if resource.organization_id else ""
    resource.search_text = search_text(*(getattr(resource, f) for f in Resource.TEXT_FIELDS), owner)


def owner_renamed(sender, organization, **kwargs) -> None:
    """The unit's new name in the search text of its entries (core's
    `organization_renamed`, in the renaming transaction), and on the public pages."""
    entries = list(
        Resource.objects.filter(organization=organization).select_related("organization")
    )
    for resource in entries:
        refresh_search_text(resource)
    Resource.objects.bulk_update(entries, ["search_text"], batch_size=500)
    if any(r.status == c.ResourceStatus.PUBLISHED for r in entries):
        publiccache.bump("resources")


def _event(resource, action, *, actor, version=None, note=""):
    return ResourceEvent.objects.create(
        resource=resource, version=version, action=action, actor=actor, note=note
    )


def _locked(resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _open_version(resource, *, lock=True):
    queryset = resource.versions.filter(status__in=c.OPEN_VERSION_STATUSES)
    if lock:
        queryset = queryset.select_for_update()
    return queryset.first()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def listing_number_for(resource: Resource) -> str:
    year = clock.today().year
    letter = c.TYPE_LETTER[resource.resource_type]
    return f"KP{resource.region.code[:2]}-{year}-{letter}{resource.pk:06d}"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
