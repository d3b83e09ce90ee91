"""The order list's status tabs and the hour ledger's totals, read from the counters
(`volunteering.rollups`) instead of grouping the user's whole scope on each request.

A back-office user sees the rows of the subtrees of their region-scoped roles (the
counters hold those) and possibly a few rows outside them that they own (the orders and
hours of a team they lead, their own hours): those are counted from the raw rows, which
are few. Under filters the counters do not hold (a search, a category, dates…), the
figures are counted from the raw rows too, or left out (status tabs) where that would
group a province.
"""

from __future__ import annotations

import decimal
from collections import Counter

from django.db.models import Count, Q, Sum

from kepu.core import rollups, scope
from kepu.core.choices import ROLE_SCOPE, RegionLevel, ScopeKind
from kepu.core.regiontree import subtree_ids
from kepu.core.scope import granting_assignments
from kepu.volunteering import choices as c
from kepu.volunteering import rollups as counters
from kepu.volunteering.models import HourEntry

H = c.HourStatus


def region_roots(user, model, action="view"):
    """The top regions of the user's region-scoped roles granting `action` on `model`, or
    None when some role of another kind grants it (a unit's staff: raw counts)."""
    regions = {}
    for assignment in granting_assignments(user, model, action):
        if ROLE_SCOPE[assignment.role] != ScopeKind.REGION or not assignment.region_id:
            return None
        regions[assignment.region.path] = assignment.region
    paths = sorted(regions)
    return [regions[p] for p in paths if not any(p != o and p.startswith(o) for o in paths)]


def outside(user, queryset, roots):
    """The rows of `queryset` (scoped to `user`, who has region-scoped roles only) outside
    the subtrees of `roots`: the rows they own (a team they lead, their own hours).
    Asked through the owner conditions alone, which are selective, never as "the scope
    minus the regions", which would read the whole scope."""
    if any(subtree_ids(root) is None for root in roots):
        return queryset.none()
    # The owner conditions on the bare table: ANDed with the scope's long region list
    # the planner reads the whole scope (and spends ~15 ms planning a province's 3,000
    # ids). Every role holding the permission reaches its owned rows (scope.scope_q), so
    # these are in the scope; the callers apply the filters the counters hold.
    rows = _owned(user, queryset.model)
    for root in roots:
        rows = rows.exclude(region__path__startswith=root.path)
    return rows


def _owned(user, model):
    """Rows of `model` the user owns through its scope rule's owner lookups."""
    rule = scope._rules.get(model)  # the model's ScopeRule: its owner lookups
    owners = (rule.owner,) if isinstance(rule.owner, str) else (rule.owner or ())
    q = Q(pk__in=[])
    for lookup in owners:
        q |= scope._owned(model, lookup, user.pk)
    return model._default_manager.filter(q)


def _within(region, roots) -> bool:
    return any(region.is_within(root) for root in roots)


def _only(data, allowed) -> bool:
    return not any(value for key, value in data.items() if key not in allowed)


# --- orders -----------------------------------------------------------------------------------


def order_status_counts(user, data, region, scoped) -> Counter | None:
    """Orders per status under `data` (the list's filters, status left out), or None
    when the counters cannot say it cheaply. `region`: the region filter's Region (or
    None); `scoped`: the filtered queryset of the user's orders (status left out)."""
    from kepu.volunteering.models import ServiceOrder

    if not _only(data, {"region", "status", "page", "after"}):
        return None
    roots = region_roots(user, ServiceOrder)
    if not roots or (region is None and len(roots) > 1):
        return None
    if region is not None:
        if region.level > RegionLevel.COUNTY:  # a township: a few dozen orders
            return Counter(dict(scoped.order_by().values_list("status").annotate(n=Count("pk"))))
        if not _within(region, roots):
            return None
        return Counter(rollups.by_key(counters.ORDERS, region))
    counts = Counter(rollups.by_key(counters.ORDERS, roots[0]))
    extra = outside(user, scoped, roots).order_by().values_list("status").annotate(n=Count("pk"))
    counts.update(dict(extra))
    return counts


# --- hours -------------------------------------------------------------------------------------


def hour_totals(user, data, queryset) -> dict:
    """{"approved": {hours, entries, people}, "pending": {hours, entries}} of the ledger
    under its filters; `queryset` is the filtered, scoped ledger."""
    status = data.get("status") or ""
    roots = region_roots(user, HourEntry)
    if (
        roots
        and len(roots) == 1
        and _only(data, {"status", "page", "after"})
        and status in ("", *H.values)
    ):
        return _counted_totals(user, roots[0], status, queryset)
    return _raw_totals(queryset)


def _raw_totals(queryset) -> dict:
    approved = queryset.filter(status=H.APPROVED).aggregate(
        hours=Sum("hours"), entries=Count("pk"), people=Count("person", distinct=True)
    )
    pending = queryset.filter(status=H.PENDING).aggregate(hours=Sum("hours"), entries=Count("pk"))
    return {"approved": approved, "pending": pending}


def _counted_totals(user, root, status, queryset) -> dict:
    ledger = rollups.by_key(counters.LEDGER, root)
    extra = outside(user, queryset, [root])
    if status:
        extra = extra.filter(status=status)
    more = {
        row["status"]: row
        for row in extra.order_by()
        .values("status")
        .annotate(hours=Sum("hours"), entries=Count("pk"))
    }
    newcomers = 0
    if more.get(H.APPROVED):  # volunteers of the outside rows not counted inside
        inside = HourEntry.objects.filter(status=H.APPROVED, region__path__startswith=root.path)
        newcomers = (
            extra.filter(status=H.APPROVED)
            .exclude(person_id__in=inside.values("person_id"))
            .values("person_id")
            .distinct()
            .count()
        )

    def figure(key):
        if status and status != key:
            return {"hours": None, "entries": 0}
        raw = more.get(key, {})
        return {
            "hours": decimal.Decimal(ledger.get("hours:" + key, 0)) / 100
            + decimal.Decimal(raw.get("hours") or 0),
            "entries": ledger.get("entries:" + key, 0) + (raw.get("entries") or 0),
        }

    approved = figure(H.APPROVED)
    approved["people"] = 0
    if status in ("", H.APPROVED):
        approved["people"] = counters.active(root, None) + newcomers
    return {"approved": approved, "pending": figure(H.PENDING)}


def awaiting_approval(user) -> tuple[int, bool]:
    """(n, capped): pending entries the user may approve (`scope.actionable`): for a
    user with one region-scoped root, the counters' pending entries of the region, less
    those an object rule refuses them (their own hours: a few rows), plus the pending
    rows they reach outside it (a team they lead); else a capped count of the rows."""
    from kepu.core.pagination import capped_count

    actionable = scope.actionable(user, HourEntry, "approve").filter(status=H.PENDING)
    roots = region_roots(user, HourEntry, "approve")
    if not roots or len(roots) > 1:
        return capped_count(actionable)
    root = roots[0]
    pending = rollups.by_key(counters.LEDGER, root).get("entries:" + H.PENDING, 0)
    refused = Q(pk__in=[])
    for rule in scope._object_rules.get((HourEntry, "approve"), ()):
        if rule.exclude is not None:
            refused |= rule.exclude(user)
    # The refused rows are the user's own (their hours): asked through the owner
    # conditions, which are selective, before the rules' own conditions.
    inside = _owned(user, HourEntry).filter(status=H.PENDING).filter(refused)
    inside = inside.filter(region__path__startswith=root.path)
    extra = outside(user, HourEntry.objects.all(), [root]).filter(status=H.PENDING)
    extra = extra.exclude(refused)
    return pending - inside.count() + extra.count(), False
