"""Demo volunteer service for the Sichuan demo province (51): volunteer teams of member
departments and county associations (the demo volunteer 刘洋 leads the team of 四川省教育厅),
about `size // 3` service orders over the last ten months in every status, with their
timelines, volunteers, check-ins, hour ledger and a few certificates.

Runs after the people demo (it needs its certified volunteers and county teams).
Deterministic for a given day (a seeded generator; times follow now) and idempotent: a
second run creates nothing.

Every order, hour entry and certificate is made by the services (`kepu.volunteering.
services`), each step at its moment in the past (`kepu.core.clock.frozen`) and by a real
account (`replay._Replay`): the same transitions, deadlines, on-time flags, escalations,
timeline steps and audit entries as in use. The demo only plans when each step happens
and makes sure no volunteer is booked twice at the same time. What it still writes
directly: the teams and their memberships (people's rows, bulk-created and audited with
`audit.bulk_record`), and the seeded order and certificate numbers written over the
random ones the services draw (so that a seed gives the same demo).
"""

from __future__ import annotations

import random

from django.db import transaction

from kepu.core.models import Region
from kepu.people.models import Team
from kepu.volunteering.demo.build import _Demo
from kepu.volunteering.demo.data import MEMBER_UNIT, PROVINCE, TEAMS

__all__ = ["MEMBER_UNIT", "TEAMS", "load_demo"]


@transaction.atomic
def load_demo(size: int = 3000, seed: int = 2025) -> dict:
    if Team.objects.filter(name=TEAMS[0][0]).exists():  # already loaded
        return {"orders": 0}
    if not Region.objects.filter(code=PROVINCE).exists():
        return {"orders": 0}
    result = _Demo(random.Random(seed), size).run()
    # Talent evaluation (people app) replays after the ledger, so the applicants' records
    # carry their approved service hours.
    from kepu.people.talents.demo import load_demo as load_talents

    result.update(load_talents(size))
    return result
