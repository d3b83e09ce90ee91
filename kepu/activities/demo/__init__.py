"""Demo activities for the Sichuan demo province (51): this year's campaigns and theme
days (and last year's 全国科普日), two mobile facilities on tour, and about `size`
activities in every status with their review histories, after-event reports and sign-ups.

Deterministic for a given day (a seeded generator; dates follow today, so the demo always
has past and upcoming activities) and idempotent: a second run creates nothing. Rows are
bulk-created without the services, so the invariants the services keep are kept here by
construction: an activity ends after it starts, never has more confirmed sign-ups than
places, has a waiting list only when it is full, gets its report due date when approved,
and phone numbers are sealed, blind-indexed and masked exactly as `services.sign_up` does.
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
    return _Demo(random.Random(seed), size).run()  # noqa: S311 (seeded on purpose)
