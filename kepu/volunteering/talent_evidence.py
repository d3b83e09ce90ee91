"""The volunteer service ledger's part of a person's science-popularization record (the
talent evaluation's evidence, `kepu.people.talents.evidence`): approved hours."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kepu.people.talents.choices import EvidenceSource
from kepu.people.talents.evidence import ITEMS_PER_SOURCE, Item, Part, provider
from kepu.volunteering.choices import HourStatus
from kepu.volunteering.models import HourEntry


def _hours(value) -> str:
    """Two places at most (SQLite sums decimals as floats)."""
    number = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    return f"{number.normalize():f}"


@provider("volunteering.hours")
def approved_hours(person) -> Part:
    rows = HourEntry.objects.filter(person=person, status=HourStatus.APPROVED)
    by_team = (
        rows.values("team__name")
        .annotate(hours=Sum("hours"), n=Count("pk"))
        .order_by("-hours", "team__name")[:ITEMS_PER_SOURCE]
    )
    total = rows.aggregate(n=Sum("hours"))["n"] or 0
    last = rows.order_by("-ended_at").values_list("ended_at", flat=True).first()
    items = [
        Item(
            EvidenceSource.VOLUNTEERING,
            _("Service with %(team)s") % {"team": row["team__name"]},
            f"{last:%Y-%m-%d}" if last else "",
            _hours(row["hours"]),
            _("%(n)s approved entries") % {"n": row["n"]},
        )
        for row in by_team
    ]
    return Part(items, {"hours": _hours(total)})
