"""Demo activities for the Sichuan demo province (51): this year's campaigns and theme
days (and last year's 全国科普日), two mobile facilities on tour, and about `size`
activities in every status with their review histories, after-event reports and sign-ups.

Deterministic for a given day (a seeded generator; dates follow today, so the demo always
has past and upcoming activities; ticket codes and tokens are random like the services
make them) and idempotent: a second run creates nothing. Every row is made by the
services, each step at its moment (`kepu.core.clock.frozen`) and by its actor: the
campaigns and facilities by the system, an activity by its organizer (the local officer,
or the member unit's staff), reviewed by the local officer, signed up for by the public,
checked in and reported on by its organizer — so the invariants of
`kepu/activities/invariants.py` hold by construction and every step is in the audit trail.
"""

from __future__ import annotations

import random

from django.db import transaction

from kepu.activities.demo.builder import _Demo

# The vocabularies, also read by the benchmark dataset (`kepu.activities.dataset`).
from kepu.activities.demo.vocabulary import (  # noqa: F401
    BRAND,
    CANCEL_REASONS,
    CENTRES,
    COUNTY_A,
    COUNTY_B,
    CROPS,
    EFFECTS,
    FACILITIES,
    FUTURE_STATUSES,
    GIVEN,
    GROUP_NAMES,
    KIND_NAMES,
    LABS,
    LECTURES,
    MEMBER_UNIT,
    PAST_STATUSES,
    REJECT_REASONS,
    RETURN_REASONS,
    ROADS,
    SHOWS,
    SIGNUP_KINDS,
    SKIES,
    SURNAMES,
    TEMPLATES,
    VENUES,
    _campaign_specs,
    _md,
    _nth_weekday,
    report_reach,
    report_window,
)
from kepu.activities.models import MobileFacility


@transaction.atomic
def load_demo(size: int = 3000, seed: int = 2025) -> dict:
    if MobileFacility.objects.filter(name=FACILITIES[0][0]).exists():  # already loaded
        return {"activities": 0}
    return _Demo(random.Random(seed), size).run()
