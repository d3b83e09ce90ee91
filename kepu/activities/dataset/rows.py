"""Rows of the benchmark dataset written after the activities: sign-ups (replayed like
the services do), reports, tags, numbered decisions."""

from __future__ import annotations

import datetime
import itertools
import random

from kepu.activities import choices as c
from kepu.activities.dataset.constants import (
    LATE_SHARE,
    OVERDUE_SHARE,
    TICKET_PAIRS,
    K,
)
from kepu.activities.demo import (  # the demo's vocabularies
    EFFECTS,
    GIVEN,
    SURNAMES,
    _md,
    report_reach,
    report_window,
)
from kepu.activities.models import (
    ActivityTag,
    SignUp,
)
from kepu.core import crypto, pii
from kepu.core.choices import KeyGroup as G
from kepu.core.dataset import new_uuid


class _Rows:
    """Mixin of `_Builder`: the rows that hang off the planned activities."""

    # --- sign-ups ------------------------------------------------------------------------

    def simulate(self, rng, row, published_at, arrivals=None) -> list[list]:
        """Sign-ups from publication until the start, replayed in time order like the
        service does (a place while one is free, else the waiting list; a cancelled place
        goes to the first person waiting). Records: [created_at, status, cancelled_at,
        promoted_at, checked_in_at]."""
        cap, starts_at = row["capacity"], row["starts_at"]
        soon = starts_at - self.now < datetime.timedelta(days=30)
        if arrivals is None:
            full = rng.random() < 0.3 and (soon or starts_at < self.now)
            if full:
                arrivals = cap + rng.randint(1, 10)
            elif starts_at < self.now or soon:
                arrivals = int(cap * rng.uniform(0.4, 0.95))
            else:
                arrivals = int(cap * rng.uniform(0.05, 0.5))
        end = min(self.now, starts_at) - datetime.timedelta(minutes=10)
        if end <= published_at or arrivals == 0:
            return []
        events = []
        for i in range(arrivals):
            when = self.between(published_at, end, rng)
            events.append((when, 0, i))
            if rng.random() < 0.07:
                events.append((self.between(when, end, rng), 1, i))
        events.sort()
        records: list[list] = [None] * arrivals  # type: ignore[list-item]
        confirmed: set[int] = set()
        waiting: list[int] = []
        for when, cancel, i in events:
            if cancel:
                record = records[i]
                record[1], record[2] = c.SignUpStatus.CANCELLED, when
                if i in confirmed:
                    confirmed.discard(i)
                    if waiting:
                        moved = waiting.pop(0)
                        records[moved][1] = c.SignUpStatus.CONFIRMED
                        records[moved][3] = when
                        confirmed.add(moved)
                else:
                    waiting.remove(i)
                continue
            has_place = len(confirmed) < cap
            status = c.SignUpStatus.CONFIRMED if has_place else c.SignUpStatus.WAITING
            records[i] = [when, status, None, None, None]
            (confirmed.add if has_place else waiting.append)(i)
        if starts_at < self.now:
            for i in sorted(confirmed):
                if rng.random() < 0.85:
                    records[i][4] = min(
                        self.now, starts_at + datetime.timedelta(minutes=rng.randint(-40, 20))
                    )
        return records

    def signup_rows(self):
        """The sign-up rows, regenerated from each activity's seed (the same replay as
        for the counters), with names and sealed phone numbers."""
        ids = itertools.count(self.ds.ids(SignUp, 1).start)
        for row, seed, published_at, arrivals, groups, author in self.signup_jobs:
            rng = random.Random(seed)
            records = self.simulate(rng, row, published_at, arrivals)
            phones: set[str] = set()
            for created_at, status, cancelled_at, promoted_at, checked_in_at in records:
                while True:  # 13x–19x mobile numbers, unique per activity
                    phone = f"1{rng.randrange(3 * 10**9, 10**10)}"
                    if phone not in phones:
                        phones.add(phone)
                        break
                yield {
                    "id": next(ids),
                    "activity_id": row["id"],
                    "name": rng.choice(SURNAMES)
                    + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    "phone_enc": crypto.seal(phone),
                    "phone_hash": crypto.blind_index(phone),
                    "phone_masked": pii.mask_phone(phone),
                    "key_group": rng.choice(groups) if rng.random() < 0.8 else G.GENERAL,
                    "status": status,
                    "ticket_code": self.ticket(rng),
                    "token": new_uuid(rng),
                    "notice_id": self.notice,
                    "created_at": created_at,
                    "cancelled_at": cancelled_at,
                    "promoted_at": promoted_at,
                    "checked_in_at": checked_in_at,
                    "checked_in_by_id": author if checked_in_at else None,
                }

    def ticket(self, rng) -> str:
        while True:  # 8 characters of the 32-letter alphabet: 4 pairs of 10 random bits
            bits = rng.getrandbits(40)
            code = (
                TICKET_PAIRS[bits & 1023]
                + TICKET_PAIRS[(bits >> 10) & 1023]
                + TICKET_PAIRS[(bits >> 20) & 1023]
                + TICKET_PAIRS[bits >> 30]
            )
            if code not in self.tickets:
                self.tickets.add(code)
                return code

    # --- after the event -----------------------------------------------------------------

    def report(self, row, region, checked_in, author) -> None:
        """Most ended activities have their report; some came late, some are overdue, the
        most recent are still within their reporting period."""
        rng = self.rng
        due_end = self.at(row["report_due"], 23, 59)
        window = report_window(
            rng, self.now, row["ends_at"], due_end, overdue=OVERDUE_SHARE, late=LATE_SHARE
        )
        if window is None:
            return
        filed = self.between(*window)
        onsite, views = report_reach(rng, row["kind"], row["expected_audience"], checked_in)
        effect = rng.choice(EFFECTS).format(m=rng.randint(1, 20) * 50, k=rng.randint(20, 300))
        local_day = row["starts_at"].date()  # local times throughout
        where = "线上" if row["kind"] == K.LIVE else region.name
        reach = f"线上观看{views}人次" if row["kind"] == K.LIVE else f"现场参与{onsite}人次"
        org = self.org_names[row["organization_id"]]
        self.reports.append(
            {
                "id": 0,
                "activity_id": row["id"],
                "onsite_attendance": onsite,
                "online_views": views,
                "volunteers_served": rng.randint(0, row["volunteers_needed"] + 2),
                "summary": (
                    f"{_md(local_day)}，{org}在{where}举办“{row['title']}”，{reach}。{effect}。"
                ),
                "links": (
                    f"https://news.example.cn/kepu/{local_day.year}/{row['uid'].hex[:10]}.html"
                    if rng.random() < 0.4
                    else ""
                ),
                "filed_at": filed,
                "filed_by_id": author,
                "is_late": filed.date() > row["report_due"],
            }
        )

    def numbered(self, model, rows: list[dict]):
        for pk, row in zip(self.ds.ids(model, len(rows)), rows, strict=True):
            row["id"] = pk
            yield row

    def tag_rows(self):
        ids = iter(self.ds.ids(ActivityTag, len(self.tags)))
        for activity, kind, code in self.tags:
            yield {"id": next(ids), "activity_id": activity, "kind": kind, "code": code}
