"""Places and a waiting list, the one sign-up machinery of every app (activity sign-ups,
training enrolments): a newcomer takes a place while one is free and waits otherwise; a
freed or added place goes to the first on the waiting list; the parent row (the activity,
the session) keeps a counter per status, moved with F() in the same transaction as the
rows, so that no page counts sign-ups to show the places left.

What each kind keeps for itself: who signs up (an anonymous caller's phone, a registered
person), how a double submission is recognized (each kind's unique constraint, answered
after an IntegrityError), and what it records (audit, rollups). The caller holds the parent
row's lock (`select_for_update`) around `is_full`, `move` and `promote`, and only around
them, so that concurrent sign-ups wait for each other for the few statements that count."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models
from django.db.models import F


@dataclass(frozen=True)
class Places:
    parent: type[models.Model]  # the row with `capacity` (None: no limit) and the counters
    rows: type[models.Model]  # the sign-ups
    parent_field: str  # the rows' foreign key to the parent
    placed: str  # the status of a row holding a place
    waiting: str  # the status of a row on the waiting list
    counters: Mapping[str, str]  # status -> the parent's counter field
    holding: tuple[str, ...]  # the statuses that hold a place (placed, completed, ...)
    order: tuple[str, ...] = ("pk",)  # the waiting list's order: first come, first served

    def taken(self, parent) -> int:
        return sum(getattr(parent, self.counters[status]) for status in self.holding)

    def is_full(self, parent) -> bool:
        return parent.capacity is not None and self.taken(parent) >= parent.capacity

    def status_for_newcomer(self, parent) -> str:
        return self.waiting if self.is_full(parent) else self.placed

    def move(self, parent, was: str | None, now: str | None) -> None:
        """One row went from `was` to `now` (None: no row, or a status without a counter):
        the parent's counters follow, in the database and on `parent`."""
        changes = {}
        for status, step in ((was, -1), (now, 1)):
            field = self.counters.get(status) if status else None
            if field is None:
                continue
            changes[field] = changes.get(field, F(field)) + step
            setattr(parent, field, getattr(parent, field) + step)
        if changes:
            self.parent.objects.filter(pk=parent.pk).update(**changes)

    def promote(self, parent, *, promoted: Callable[[models.Model], None]) -> list:
        """Fill the free places from the waiting list. `promoted(row)` is called with the
        row's status already set to `placed`: it saves the row (with whatever else it
        stamps) and records the change."""
        done = []
        while not self.is_full(parent):
            row = (
                self.rows.objects.filter(**{self.parent_field: parent, "status": self.waiting})
                .order_by(*self.order)
                .first()
            )
            if row is None:
                break
            row.status = self.placed
            promoted(row)
            self.move(parent, self.waiting, self.placed)
            done.append(row)
        return done
