"""Volunteer service at benchmark scale (see `kepu.core.dataset`): 500k service orders over
the past year (and some waiting for a service ahead) in every status, with the timeline
steps `services` writes (the same deadlines from the working-day calendar, on-time flags,
escalations of overdue orders, returns and re-dispatches), the volunteers the teams
assigned, 2M hour entries — check-in and check-out of those volunteers, and hours recorded
by hand — and a few service record certificates.

The orders are written a chunk at a time (one COPY per table per chunk): the millions of
timeline steps would not fit in memory at once. Every volunteer is booked for at most one
service per half-day (morning, afternoon, evening; every period generated lies within its
half-day), so the hour entries of one person never overlap, as the service requires.

Needs `ds.teams` from the people generator; leaves nothing on `ds`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from kepu.core.dataset import Dataset
from kepu.volunteering.dataset.generator import _Generator


def generate(ds: Dataset) -> None:
    if not getattr(ds, "teams", None):
        ds.out("  volunteering: no teams (the people generator did not run), skipped")
        return
    # The notes and labels are written in the language the users work in.
    with translation.override(settings.LANGUAGE_CODE):
        gen = _Generator(ds)
        ds.step("service orders and steps", gen.orders)
        ds.out(
            f"    {gen.n_orders:,} orders, {gen.n_events:,} steps, "
            f"{gen.n_assignments:,} assignments, {gen.n_checkins:,} check-in hour entries"
        )
        ds.step("hour entries (manual)", gen.manual_entries)
        ds.step("certificates", gen.certificates)
