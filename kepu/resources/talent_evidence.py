"""The resource catalog's part of a person's science-popularization record (the talent
evaluation's evidence, `kepu.people.talents.evidence`): published works whose authors
name the person. The catalog keeps authors as text, so a work is matched by the full name
(and, where the person has one, their unit is shown beside it for the reviewers)."""

from kepu.people.talents.choices import EvidenceSource
from kepu.people.talents.evidence import ITEMS_PER_SOURCE, Item, Part, provider
from kepu.resources.choices import ResourceStatus, ResourceType
from kepu.resources.models import Resource


@provider("resources.works")
def works(person) -> Part:
    if len(person.name) < 2:
        return Part([], {"works": 0})
    rows = Resource.objects.filter(
        resource_type=ResourceType.WORK,
        status=ResourceStatus.PUBLISHED,
        authors__contains=person.name,
    )
    items = [
        Item(
            EvidenceSource.RESOURCES,
            r.title,
            f"{r.published_at:%Y-%m-%d}" if r.published_at else "",
            "",
            r.authors,
        )
        for r in rows.order_by("-published_at", "-pk")[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"works": rows.count()})
