"""Pre-fill returns from the registries (kepu.stats.prefill.SOURCES): each indicator
with a source gets the registry count in `Value.registry`, and, where the unit has not
typed a value of its own, as its value (source REGISTRY). A value the unit typed stays:
saving it again while it differs from the count needs a reason (`returns.save_values`).

One grouped query per source for all the returns given (never one per unit); only
editable returns are touched (a submitted or accepted return keeps what was sent). One
audit entry per return that changed."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from kepu.core import audit, clock
from kepu.stats import choices as c
from kepu.stats import prefill as registry
from kepu.stats.models import Indicator, Return, Value
from kepu.stats.services import figures_cache
from kepu.stats.services.returns import _plain, _refresh
from kepu.stats.services.validation import Checker

BATCH = 500


def prefill_indicators(data_set) -> list[Indicator]:
    """The data set's indicators that have a known registry source."""
    return [
        i
        for i in Indicator.objects.filter(data_set=data_set).exclude(prefill="")
        if i.prefill in registry.SOURCES
    ]


@transaction.atomic
def prefill(rets, *, actor, checker: Checker | None = None) -> int:
    """Pre-fill one return or a list of returns of one round; the number of returns
    whose values changed."""
    if isinstance(rets, Return):
        rets = [rets]
    ids = [r.pk for r in rets]
    rets = list(
        Return.objects.select_for_update(of=("self",))
        .select_related("round", "round__data_set", "region")
        .filter(pk__in=ids, status__in=c.EDITABLE_RETURN)
        .order_by("pk")
    )
    if not rets:
        return 0
    survey = rets[0].round
    if any(r.round_id != survey.pk for r in rets):
        raise ValueError("prefill: the returns must belong to one round")
    indicators = prefill_indicators(survey.data_set)
    if not indicators:
        return 0
    org_ids = [r.organization_id for r in rets]
    counts = {
        key: registry.counts(key, org_ids, survey.year) for key in {i.prefill for i in indicators}
    }
    stored = defaultdict(dict)
    for row in Value.objects.filter(ret__in=rets, indicator__in=indicators):
        stored[row.ret_id][row.indicator_id] = row
    checker = checker or Checker(survey.data_set)
    new, changed_rows, touched = [], [], 0
    for ret in rets:
        changes = {}
        for indicator in indicators:
            count = Decimal(counts[indicator.prefill].get(ret.organization_id, 0)).quantize(
                Decimal("0.01")
            )
            row = stored[ret.pk].get(indicator.pk)
            if row is None:
                new.append(
                    Value(
                        ret=ret,
                        indicator=indicator,
                        value=count,
                        registry=count,
                        source=c.ValueSource.REGISTRY,
                    )
                )
                changes[indicator.code] = [None, _plain(count)]
                continue
            if row.registry == count and (row.value is not None or count is None):
                continue
            before = row.value
            row.registry = count
            if row.value is None or row.source == c.ValueSource.REGISTRY:
                row.value, row.source, row.reason = count, c.ValueSource.REGISTRY, ""
            changed_rows.append(row)
            changes[indicator.code] = [_plain(before), _plain(row.value), f"registry {count}"]
        if not changes:
            continue
        touched += 1
        ret._prefill_changes = changes
    Value.objects.bulk_create(new)
    Value.objects.bulk_update(changed_rows, ["value", "registry", "source", "reason"])
    for ret in rets:
        changes = getattr(ret, "_prefill_changes", None)
        if not changes:
            continue
        _refresh(ret, checker)
        ret.updated_at = clock.now()
        ret.save(update_fields=["findings", "errors", "warnings", "unexplained", "updated_at"])
        figures_cache.changed(ret.round_id)
        audit.record(
            "stats.return.prefilled",
            obj=ret,
            actor=actor,
            changes=changes,
            detail={"year": survey.year},
        )
    return touched


def prefill_round(survey, *, actor, progress=None) -> int:
    """Every editable return of the round, in batches (the `stats.prefill` job)."""
    ids = list(
        Return.objects.filter(round=survey, status__in=c.EDITABLE_RETURN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    checker = Checker(survey.data_set)
    touched = 0
    for start in range(0, len(ids), BATCH):
        batch = list(Return.objects.filter(pk__in=ids[start : start + BATCH]))
        touched += prefill(batch, actor=actor, checker=checker)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return touched
