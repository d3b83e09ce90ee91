"""Constants and small helpers of the volunteer service dataset generator."""

from __future__ import annotations

import datetime

from kepu.core.choices import KeyGroup as G
from kepu.volunteering import choices as c
from kepu.volunteering.demo.data import (
    SLOTS,
)

S = c.OrderStatus
A = c.OrderAction
K = c.ServiceCategory
SHIFTS = (0, 5, 10, 15, 20, 25)
# Plain strings for the values written row by row.
IN_SERVICE, CHECK_IN, CHECK_OUT = str(S.IN_SERVICE), str(A.CHECK_IN), str(A.CHECK_OUT)
PENDING, APPROVED = str(c.HourStatus.PENDING), str(c.HourStatus.APPROVED)
REJECTED = str(c.HourStatus.REJECTED)
SOURCE_CHECK_IN, SOURCE_MANUAL = str(c.HourSource.CHECK_IN), str(c.HourSource.MANUAL)
MICROSECOND = datetime.timedelta(microseconds=1)
CHUNK = 10_000  # orders per round of inserts
HISTORY_DAYS = 350  # services of closed orders: within the last year
BASE_DAYS = 420  # the booking calendar starts this many days ago …
AHEAD_DAYS = 40  # … and ends this many days ahead
# Half-days: a service or a manual entry lies within one (morning until 13:30,
# afternoon until 18:30, evening after). Windows start at the demo's SLOTS, last at most
# three hours, and check-in/out stray at most 25 minutes: 10:00 + 3 h 25 < 13:30, etc.
HALF = {(h, m): 0 if h < 12 else 1 if h < 18 else 2 for h, m in SLOTS}
SLOTS_BY_HALF = {
    half: [h * 60 + m for (h, m), x in HALF.items() if x == half] for half in (0, 1, 2)
}
WINDOW_MINUTES = (90, 120, 150, 180)
# Manual entries: (half-day, start minute, duration in minutes), repeated by weight.
MANUAL_SHAPES = [
    *[(0, start, d) for start in (510, 540, 570) for d in (60, 90, 120, 120, 180, 180, 240)],
    *[(1, start, d) for start in (840, 870) for d in (60, 90, 120, 120, 180, 180, 240)],
    *[(2, 1140, d) for d in (60, 90, 120, 150)],
]
MORE_WORK = [
    "全国科普日现场咨询服务",
    "科技活动周展区讲解",
    "科普进社区宣传（补录）",
    "防灾减灾日科普宣传",
    "科普讲座现场组织服务",
]
HOUR_REJECT_REASONS = [
    "服务时间与活动记录不符，请核实后重新填报。",
    "未提供活动签到或证明材料。",
    "该活动不属于科技志愿服务，不予认定。",
]
LOW_COMMENTS = ["讲解时间太短，没有解决问题。", "志愿者迟到，内容和需求不太相符。"]
CREW_SIZES = (1, 2, 3, 4)  # volunteers a team assigns (the demo's 1, 2, 2, 3, 3, 4)
CREW_WEIGHTS = (1, 2, 2, 1)
ATTENDEES = {G.YOUTH: (30, 200), G.ELDERLY: (15, 60), G.FARMERS: (20, 80), G.WORKERS: (20, 100)}
WAITING = (S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM)
SERVICE = (S.ACCEPTED, S.IN_SERVICE, S.SERVED, S.CLOSED)


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class _Team:
    __slots__ = ("id", "name", "county", "crew", "org", "leader_label", "officer")

    def __init__(self, pk, name, county, crew, org, leader_label, officer):
        self.id, self.name, self.county, self.crew = pk, name, county, crew
        self.org, self.leader_label, self.officer = org, leader_label, officer
