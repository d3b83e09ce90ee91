"""The activities registry's part of a person's science-popularization record (the talent
evaluation's evidence, `kepu.people.talents.evidence`): published activities the person
organized (entered from their own account). Activities do not name their speakers; a
talk given elsewhere is added by the applicant as a self-declared item."""

from kepu.activities.choices import ActivityStatus
from kepu.activities.models import Activity
from kepu.people.talents.choices import EvidenceSource
from kepu.people.talents.evidence import ITEMS_PER_SOURCE, Item, Part, provider


@provider("activities.organized")
def organized(person) -> Part:
    if person.user_id is None:
        return Part([], {"activities": 0})
    rows = Activity.objects.filter(created_by=person.user_id, status=ActivityStatus.PUBLISHED)
    items = [
        Item(EvidenceSource.ACTIVITIES, a.title, f"{a.starts_at:%Y-%m-%d}", "", a.address)
        for a in rows.order_by("-starts_at", "-pk")[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"activities": rows.count()})
