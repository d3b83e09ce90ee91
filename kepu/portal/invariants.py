"""What must hold of the stored notices (demo and benchmark rows alike)."""

from django.db.models import F

from kepu.core.invariants import invariant
from kepu.portal.choices import NoticeStatus
from kepu.portal.models import Notice


@invariant("portal")
def published_by_someone_else():
    rows = Notice.objects.filter(
        status=NoticeStatus.PUBLISHED, reviewed_by__isnull=False, reviewed_by=F("submitted_by")
    )
    for pk in rows.values_list("pk", flat=True)[:20]:
        yield f"notice {pk} was published by the person who submitted it"


@invariant("portal")
def reviewed_after_submission():
    rows = Notice.objects.filter(
        status__in=(NoticeStatus.PUBLISHED, NoticeStatus.RETURNED),
        reviewed_at__lt=F("submitted_at"),
    )
    for pk in rows.values_list("pk", flat=True)[:20]:
        yield f"notice {pk} was reviewed before it was submitted"


@invariant("portal")
def public_notices_are_indexed():
    rows = Notice.objects.filter(status=NoticeStatus.PUBLISHED, search_text="")
    for pk in rows.values_list("pk", flat=True)[:20]:
        yield f"published notice {pk} has no search text"
