"""Hours recorded by hand and certificates of the dataset generator."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from kepu.volunteering import choices as c
from kepu.volunteering.dataset.common import (
    APPROVED,
    HOUR_REJECT_REASONS,
    MANUAL_SHAPES,
    MORE_WORK,
    PENDING,
    REJECTED,
    SOURCE_MANUAL,
)
from kepu.volunteering.demo.data import (
    MANUAL_WORK,
)
from kepu.volunteering.models import Certificate, HourEntry
from kepu.volunteering.services import NUMBER_ALPHABET


class _Ledger:
    """Mixin of `_Generator`: hours recorded by hand and certificates."""

    def manual_entries(self) -> int:
        n = self.ds.size("hour_entries") - self.n_checkins
        if n <= 0:
            return 0
        return self.ds.insert(HourEntry, self._manual_rows(n))

    def _manual_rows(self, n: int):
        """Periods of service recorded by a team (activities outside the orders), spread
        over the past year: mostly approved, the recent ones partly still pending, a few
        rejected."""
        rng = self.rng
        rand = rng.random
        randint = self.integer
        pairs = [
            (team.id, team.county.pk, index, person, team.officer[0])
            for team in self.teams
            for person, index in team.crew
        ]
        npairs = len(pairs)
        shapes = MANUAL_SHAPES
        nshapes = len(shapes)
        works = [*MANUAL_WORK, *MORE_WORK]
        booked, width, base = self.booked, self.width, self.base_ord
        today = self.today_ord
        minutes, hours, midnight = self.minutes, self.hours, self.midnight
        latest_entry = self.now - datetime.timedelta(hours=2)
        latest_decision = self.now - datetime.timedelta(hours=1)
        pending, approved, rejected, manual = PENDING, APPROVED, REJECTED, SOURCE_MANUAL
        pk = self.entry_id
        made = misses = 0
        while made < n and misses < 20 * n:
            team_id, region_id, index, person, officer = pairs[int(rand() * npairs)]
            days_back = 1 + int(364 * rand() ** 1.2)
            half, start, length = shapes[int(rand() * nshapes)]
            key = index * width + (today - days_back - base) * 3 + half
            bit = 1 << (key & 7)
            if booked[key >> 3] & bit:
                misses += 1
                continue
            booked[key >> 3] |= bit
            started = midnight(today - days_back) + minutes[start]
            ended = started + minutes[length]
            created = ended + minutes[randint(120, 1440)] * (1 if rand() < 0.7 else randint(2, 6))
            if created > latest_entry:
                created = latest_entry
            r = rand()
            if days_back <= 14:
                status = pending if r < 0.55 else approved if r < 0.96 else rejected
            else:
                status = approved if r < 0.94 else rejected if r < 0.985 else pending
            if status == pending:
                decided, decider, reason = None, None, ""
            else:
                decided = created + minutes[randint(120, 1440)] * (1 if rand() < 0.6 else 3)
                if decided > latest_decision:
                    decided = latest_decision
                decider = officer
                reason = self.pick(HOUR_REJECT_REASONS) if status == rejected else ""
            yield {
                "id": pk,
                "person_id": person,
                "team_id": team_id,
                "order_id": None,
                "region_id": region_id,
                "started_at": started,
                "ended_at": ended,
                "hours": hours[length],
                "source": manual,
                "status": status,
                "description": works[int(rand() * len(works))],
                "created_by_id": None,
                "created_at": created,
                "decided_by_id": decider,
                "decided_at": decided,
                "reject_reason": reason,
            }
            pk += 1
            made += 1
        self.entry_id = pk

    # --- certificates ------------------------------------------------------------------------

    def certificates(self) -> int:
        """A few certificates (one per thousand orders): for the volunteers with the most
        approved hours with one team, over the months of those hours, as issue_certificate
        sums them; one in fifty revoked."""
        rng = self.rng
        count = max(1, self.ds.size("orders") // 1000)
        top = (
            HourEntry.objects.filter(status=c.HourStatus.APPROVED)
            .values("person_id", "team_id")
            .annotate(
                n=Count("id"),
                total=Sum("hours"),
                first=Min("started_at"),
                last=Max("started_at"),
                last_end=Max("ended_at"),
            )
            .order_by("-n", "person_id", "team_id")[:count]
        )
        teams = self.team_by_pk
        numbers = set(Certificate.objects.values_list("number", flat=True))
        ids = iter(self.ds.ids(Certificate, count))
        rows = []
        for row in top:
            first = timezone.localtime(row["first"]).date()
            last = timezone.localtime(row["last"]).date()
            issued = min(
                self.now - datetime.timedelta(hours=self.between(0.5, 3)),
                row["last_end"] + datetime.timedelta(hours=self.between(24, 240)),
            )
            while True:
                tail = "".join(rng.choices(NUMBER_ALPHABET, k=10))
                number = f"ZYZM{timezone.localtime(issued):%Y}{tail}"
                if number not in numbers:
                    numbers.add(number)
                    break
            team = teams.get(row["team_id"])
            revoked = issued + datetime.timedelta(hours=self.between(2, 48))
            if rng.random() >= 0.02 or revoked >= self.now:
                revoked = None
            rows.append(
                {
                    "id": next(ids),
                    "number": number,
                    "person_id": row["person_id"],
                    "team_id": row["team_id"],
                    "holder_name": self.names.get(row["person_id"], ""),
                    "period_start": first.replace(day=1),
                    "period_end": last,
                    "total_hours": row["total"],
                    "entries": row["n"],
                    "issued_at": issued,
                    "issued_by_id": team.officer[0] if team else None,
                    "revoked_at": revoked,
                    "revoke_reason": "证明信息有误，已重新开具。" if revoked else "",
                }
            )
        return self.ds.insert(Certificate, rows)
