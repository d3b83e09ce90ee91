"""The shares, sizes and windows of the benchmark dataset of activities."""

from __future__ import annotations

import itertools

from kepu.activities import choices as c
from kepu.activities.demo import (  # the demo's vocabularies
    COUNTY_A,
    COUNTY_B,
    FUTURE_STATUSES,
    PAST_STATUSES,
    REJECT_REASONS,
    RETURN_REASONS,
)
from kepu.activities.services import TICKET_ALPHABET

K = c.ActivityKind
S = c.ActivityStatus
D = c.Decision

DAYS_BACK = 730  # the window: two years back …
DAYS_AHEAD = 60  # … and two months ahead
FUTURE_SHARE = 0.06  # activities announced for the next two months
CAMPAIGN_SHARE = 0.35  # activities that join a campaign
# Of the activities of a kind that may take sign-ups, the share that does; all of those
# published get their sign-ups: about 400k at province scale (each costs ~50 µs of
# Python, its encryption included, and 9 indexes: 1M would take a minute more).
SIGNUP_SHARE = 0.045
CAPACITIES = (30, 40, 50, 60, 60, 80, 80, 100, 100, 120, 150, 200)
OVERDUE_SHARE = 0.12  # past the due date without a report
LATE_SHARE = 0.14  # reports filed after the due date
# The load test's activities in 锦江区: (title, kind, places, days ahead, sign-ups so far).
BENCH = [
    ("锦江区科普嘉年华·人工智能与未来生活主题展", K.EXHIBITION, 100_000, 14, 1_500),
    ("锦江区“科学之夜”大型科学秀", K.SHOW, 50_000, 10, 800),
    ("天府新谷开放日：走进人工智能实验室", K.LAB_OPEN, 20_000, 21, 300),
]
assert len(TICKET_ALPHABET) == 32  # a ticket code is 8 × 5 random bits
TICKET_PAIRS = [a + b for a in TICKET_ALPHABET for b in TICKET_ALPHABET]
OFFICERS = ((COUNTY_A, "demo-county-a"), (COUNTY_B, "demo-county-b"), ("5101", "demo-city"))
BRAND_HOSTS = ["四川省科学技术协会", "四川大学", "中国科学院成都分院", "四川科技馆"]
BRAND_HOSTS += ["西南科技大学", "四川省地震局"]
# Status weights of past and upcoming activities (the demo's), ready for `choices`.
STATUS_DRAW = {
    future: (list(weights), list(itertools.accumulate(weights.values())))
    for future, weights in ((False, PAST_STATUSES), (True, FUTURE_STATUSES))
}
REASONS = {D.RETURNED: RETURN_REASONS, D.REJECTED: REJECT_REASONS}
SCHOOLS = ["实验小学", "第一中学", "实验中学", "第二小学"]
