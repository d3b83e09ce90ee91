"""Activation to the proposed expert group (issue 25: ≤ 1 s at province scale).

`measure_activation()` runs in-process against the bench database (Django set up by the
caller, as the functions of `bench/measure.py`): it activates a level Ⅰ earthquake
response for the province, affecting the county with the most pool members, through
`activate_incident` (the level rule, the audit entries and the proposal of the group in
one transaction) as the province officer, five times, each rolled back so the dataset
stays as generated. Returns the median seconds, the group size, the pool memberships
considered and the query count of one activation.

    python bench/emergency_group.py        # prints the JSON (DJANGO_SETTINGS_MODULE set)
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

RUNS = 5


class _Rollback(Exception):
    pass


def measure_activation(runs: int = RUNS) -> dict:
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from kepu.core.models import Region, User
    from kepu.emergency.services.group import POOL_KINDS
    from kepu.emergency.services.incidents import activate_incident
    from kepu.people.models import PoolMembership

    province = Region.objects.get(code="51")
    memberships = PoolMembership.objects.filter(
        pool__kind__in=POOL_KINDS, pool__is_active=True, available=True
    )
    busiest = (
        memberships.filter(person__region__level__gte=3)
        .values("person__region__path")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    county_code = (busiest["person__region__path"].split("/")[2]) if busiest else "510104"
    county = Region.objects.get(code=county_code)
    actor = User.objects.filter(username="demo-province").first()
    seconds, size, queries = [], 0, 0
    for i in range(runs):
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    incident = activate_incident(
                        actor=actor,
                        title=f"基准测试地震 {i}",
                        hazard="earthquake",
                        level=1,
                        region=province,
                        affected_regions=[county],
                    )
                    seconds.append(time.perf_counter() - started)
                size = incident.members.count()
                queries = len(captured)
                raise _Rollback
        except _Rollback:
            pass
    return {
        "activation_to_group_s": round(statistics.median(seconds), 4),
        "max_s": round(max(seconds), 4),
        "group_size": size,
        "pool_memberships": memberships.count(),
        "affected_county": county.name,
        "queries": queries,
        "runs": runs,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    print(json.dumps(measure_activation(), ensure_ascii=False))
