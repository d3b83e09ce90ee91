"""Objects for the activity tests, made through the services."""

import datetime

from django.utils import timezone

from kepu.activities import services
from kepu.activities.models import Activity
from kepu.core.models import Organization, Region

# The smallest valid PNG (1×1), for report photos.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def region(code):
    return Region.objects.get(code=code)


def org(name):
    return Organization.objects.get(name=name)


def make_activity(
    *,
    code="510104",
    organizer="锦江区科学技术协会",
    days=3,
    hours=2,
    status="published",
    capacity=None,
    title="防震减灾科普讲座",
    **fields,
) -> Activity:
    """An activity `days` from now (negative: in the past), taken to `status`."""
    start = timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("groups", ["youth"])
    fields.setdefault("topics", ["earthquake"])
    activity = services.create_activity(
        actor=None,
        title=title,
        organization=org(organizer),
        kind=fields.pop("kind", "lecture"),
        region=region(code),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        capacity=capacity,
        signup_required=capacity is not None,
        **fields,
    )
    if status in ("submitted", "published", "returned", "rejected"):
        services.submit_activity(activity, actor=None)
    step = {"published": "approve", "returned": "return", "rejected": "reject"}.get(status)
    if step:
        services.review_activity(activity, actor=None, step=step, reason="材料不全，请补充")
    activity.refresh_from_db()
    return activity


def age(activity, *, days):
    """Move a published activity `days` into the past (its report due date with it), as
    if time had passed — the services refuse to create past sign-up activities."""
    delta = datetime.timedelta(days=days)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - delta,
        ends_at=activity.ends_at - delta,
        report_due=(activity.report_due - delta) if activity.report_due else None,
    )
    activity.refresh_from_db()
    return activity
