"""Aggregates of the accepted returns up the region tree.

Kept by the services: accepting a return adds its values to its region and every region
above it within the round's tree; returning an accepted one takes them off (one
INSERT … ON CONFLICT per change, rows in a fixed order). `recompute` rebuilds a round's
aggregates from the raw values by one SQL statement (the drift check, and the
"aggregate now" of the officers' page); both give the same rows."""

from __future__ import annotations

from django.db import connection, transaction

from kepu.core.models import Region
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, Return, Value


def _ancestor_ids(ret: Return) -> list[int]:
    """The return's region and the regions above it, down from the round's region."""
    top = ret.round.region.code  # region codes extend their parent's (51 → 5101 → 510104)
    codes = [code for code in ret.region.ancestor_codes if code.startswith(top)]
    return list(Region.objects.filter(code__in=codes).values_list("id", flat=True))


def apply(ret: Return, sign: int) -> None:
    """Add (+1) or take off (−1) one return's values, inside the caller's transaction."""
    values = list(
        Value.objects.filter(ret=ret, value__isnull=False).values_list("indicator_id", "value")
    )
    if not values:
        return
    regions = _ancestor_ids(ret)
    if sign < 0:
        _take_off(ret, regions)
        return
    rows = sorted((region, indicator, value) for region in regions for indicator, value in values)
    table = Aggregate._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params = []
    for region, indicator, value in rows:
        params += [ret.round_id, region, indicator, value * sign, sign]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (round_id, region_id, indicator_id, value, units) "  # noqa: S608
            f"VALUES {placeholders} ON CONFLICT (round_id, region_id, indicator_id) DO UPDATE "
            f"SET value = {table}.value + EXCLUDED.value, units = {table}.units + EXCLUDED.units",
            params,
        )


def _take_off(ret: Return, regions: list[int]) -> None:
    """Take an accepted return's values off (an UPDATE: an upsert's proposed row with
    negative units would fail the column's CHECK before the conflict is seen)."""
    table, value_t = Aggregate._meta.db_table, Value._meta.db_table
    marks = ", ".join(["%s"] * len(regions))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET
                value = {table}.value - (SELECT v.value FROM {value_t} v
                    WHERE v.ret_id = %s AND v.indicator_id = {table}.indicator_id),
                units = {table}.units - 1
            WHERE round_id = %s AND region_id IN ({marks}) AND indicator_id IN (
                SELECT indicator_id FROM {value_t} WHERE ret_id = %s AND value IS NOT NULL)
            """,  # noqa: S608
            [ret.pk, ret.round_id, *sorted(regions), ret.pk],
        )


def _region_map(survey) -> list[tuple[int, int]]:
    """(responsible region, region at or above it within the round's tree) of the round's
    returns: a few hundred pairs, so the statement joins them instead of comparing every
    sum with every region's path."""
    top = survey.region.code
    paths = dict(
        Region.objects.filter(
            pk__in=Return.objects.filter(round=survey).values("region_id").distinct()
        ).values_list("pk", "path")
    )
    codes = {code for path in paths.values() for code in path.split("/") if code.startswith(top)}
    ids = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
    return sorted(
        (pk, ids[code])
        for pk, path in paths.items()
        for code in path.split("/")
        if code.startswith(top) and code in ids
    )


@transaction.atomic
def recompute(survey) -> int:
    """Rebuild the round's aggregates from the accepted returns' values (one statement:
    sums by responsible region, then up to every region above within the round's tree).
    Returns the number of aggregate rows."""
    table = Aggregate._meta.db_table
    value_t, return_t = Value._meta.db_table, Return._meta.db_table
    pairs = _region_map(survey)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE round_id = %s", [survey.pk])  # noqa: S608
        if not pairs:
            return 0
        # VALUES names its columns column1, column2 on PostgreSQL and SQLite alike.
        mapping = "VALUES " + ", ".join(["(%s, %s)"] * len(pairs))
        cursor.execute(
            f"""
            INSERT INTO {table} (round_id, region_id, indicator_id, value, units)
            SELECT %s, m.column2, b.indicator_id, SUM(b.total), SUM(b.units)
            FROM (
                SELECT r.region_id, v.indicator_id, SUM(v.value) AS total, COUNT(*) AS units
                FROM {value_t} v JOIN {return_t} r ON r.id = v.ret_id
                WHERE r.round_id = %s AND r.status = %s AND v.value IS NOT NULL
                GROUP BY r.region_id, v.indicator_id
            ) b
            JOIN ({mapping}) m ON m.column1 = b.region_id
            GROUP BY m.column2, b.indicator_id
            """,  # noqa: S608
            [survey.pk, survey.pk, c.ReturnStatus.ACCEPTED, *[x for p in pairs for x in p]],
        )
        return cursor.rowcount
