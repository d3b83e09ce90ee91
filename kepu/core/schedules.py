"""Periodic jobs, declared once in code with their schedule.

Each app declares its schedules in its `jobs.py` (`every(...)` or `daily(...)`); the
worker command runs `tick()` every few seconds, in the default install and at scale
alike. A due run is claimed with one conditional UPDATE of `ScheduleState.next_run_at`,
so however many workers on however many hosts tick, each run is enqueued once; a run
missed while no worker was up is made once when one starts, not once per missed slot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kepu.core import clock, jobs
from kepu.core.models import Job, ScheduleState


@dataclass(frozen=True)
class Schedule:
    name: str
    job: str  # a job kind (kepu.core.jobs.kind)
    title: object
    interval: datetime.timedelta | None = None  # every N, aligned to the epoch
    at: datetime.time | None = None  # daily at this local time
    weekdays_only: bool = False

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        if self.interval is not None:
            step = self.interval.total_seconds()
            slot = (int(moment.timestamp() // step) + 1) * step
            nxt = datetime.datetime.fromtimestamp(slot, tz=datetime.UTC)
        else:
            local = timezone.localtime(moment)
            nxt = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
            if nxt <= local:
                nxt += datetime.timedelta(days=1)
        while self.weekdays_only and timezone.localtime(nxt).weekday() >= 5:
            nxt += datetime.timedelta(days=1)
        return nxt

    @property
    def describe(self) -> str:
        from django.utils.translation import gettext as _

        if self.interval is not None:
            minutes = int(self.interval.total_seconds() // 60)
            if minutes % 60 == 0:
                return _("every %(n)d h") % {"n": minutes // 60}
            return _("every %(n)d min") % {"n": minutes}
        return _("daily at %(t)s") % {"t": self.at.strftime("%H:%M")}


SCHEDULES: dict[str, Schedule] = {}


def every(name: str, job: str, *, title, minutes: int = 0, hours: int = 0, weekdays_only=False):
    interval = datetime.timedelta(minutes=minutes, hours=hours)
    SCHEDULES[name] = Schedule(name, job, title, interval=interval, weekdays_only=weekdays_only)


def daily(name: str, job: str, *, title, at: str):
    hour, minute = (int(x) for x in at.split(":"))
    SCHEDULES[name] = Schedule(name, job, title, at=datetime.time(hour, minute))


def tick(now: datetime.datetime | None = None) -> list[Job]:
    """Enqueue every schedule that is due; returns the jobs started."""
    now = now or clock.now()
    states = {s.name: s for s in ScheduleState.objects.filter(name__in=list(SCHEDULES))}
    started = []
    for name, schedule in SCHEDULES.items():
        state = states.get(name)
        if state is None:
            ScheduleState.objects.get_or_create(
                name=name, defaults={"next_run_at": schedule.next_after(now)}
            )
            continue
        if state.next_run_at > now:
            continue
        with transaction.atomic():
            won = ScheduleState.objects.filter(name=name, next_run_at=state.next_run_at).update(
                next_run_at=schedule.next_after(now), last_run_at=now
            )
            if not won:
                continue  # another scheduler claimed this run
            job = jobs.start(
                schedule.job,
                title=str(schedule.title),
                schedule=name,
                idem=f"schedule:{name}:{state.next_run_at.isoformat()}",
            )
            ScheduleState.objects.filter(name=name).update(last_job=job)
        started.append(job)
    return started


def run_now(name: str, *, actor) -> Job:
    """An administrator's "run now" on the schedules page."""
    schedule = SCHEDULES[name]
    with transaction.atomic():
        job = jobs.start(schedule.job, title=str(schedule.title), schedule=name, actor=actor)
        ScheduleState.objects.update_or_create(
            name=name,
            defaults={"last_run_at": clock.now(), "last_job": job},
            create_defaults={
                "next_run_at": schedule.next_after(clock.now()),
                "last_run_at": clock.now(),
                "last_job": job,
            },
        )
    return job
