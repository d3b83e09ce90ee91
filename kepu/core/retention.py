"""Personal data past the retention a privacy notice states: cleared in place, in
batches, each batch audited. The rows stay, so statistics and records keep their counts.
The apps' daily jobs call `anonymise` (activities' sign-ups, volunteering's orders)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat

from kepu.core import audit

BATCH = 5000


def purged_hash():
    """A value for a blind-index column that is unique per row ("purged:<pk>"), so a
    uniqueness rule on the hash (one place per phone) still holds after clearing."""
    return Concat(Value("purged:"), Cast("pk", CharField()))


def anonymise(due: QuerySet, values: dict, *, action: str, cutoff) -> int:
    """Update the rows of `due` (which must exclude rows already cleared, so a repeat
    finds nothing) with `values`, BATCH rows per transaction, each batch audited as
    `action` with the cutoff and its count. Returns the number of rows cleared."""
    model = due.model
    object_type = f"{model._meta.app_label}.{model._meta.model_name}"
    total = 0
    while True:
        with transaction.atomic():
            ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return total
            total += model.objects.filter(pk__in=ids).update(**values)
            audit.record(
                action,
                object_type=object_type,
                detail={"before": cutoff.isoformat(), "count": len(ids)},
            )
