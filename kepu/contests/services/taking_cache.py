"""Rounds for the participants' hot path, read through a small per-process cache.

A burst sends thousands of answer saves a second to a handful of rounds; reading the
round row for each would double the database work of the one UPDATE that stores the
answer. A round is kept here for `TTL_SECONDS`, so a round an officer closes (or a
contest withdrawn) is noticed by every process within seconds; a save in that gap is
still bounded by the attempt's own deadline, which the UPDATE checks.

The entry of a round saved in this process is dropped at once (`post_save`): a cache
invalidation, not a workflow."""

from __future__ import annotations

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kepu.contests import choices as c
from kepu.contests.models import ContestRound

TTL_SECONDS = 5
MAX_ENTRIES = 512
# The public-cache tag of the contests' public pages (the list); services that publish
# or change what the public sees call `publiccache.bump(PUBLIC_TAG)`.
PUBLIC_TAG = "contests"

_rounds: dict[int, tuple[float, ContestRound | None]] = {}


def public_round(pk: int) -> ContestRound | None:
    """The round `pk` of a published (or finished) contest, with its contest and the
    contest's region loaded; None when there is none. At most `TTL_SECONDS` old."""
    now = time.monotonic()
    hit = _rounds.get(pk)
    if hit is not None and now - hit[0] < TTL_SECONDS:
        return hit[1]
    round_ = (
        ContestRound.objects.select_related("contest", "contest__region")
        .filter(pk=pk, contest__status__in=c.PUBLIC_CONTEST_STATUSES)
        .first()
    )
    if len(_rounds) >= MAX_ENTRIES:
        _rounds.clear()
    _rounds[pk] = (now, round_)
    return round_


def forget(pk: int | None = None) -> None:
    """Drop one round (or all) from this process's cache."""
    if pk is None:
        _rounds.clear()
    else:
        _rounds.pop(pk, None)


@receiver(post_save, sender=ContestRound, dispatch_uid="contests.taking_cache.saved")
@receiver(post_delete, sender=ContestRound, dispatch_uid="contests.taking_cache.deleted")
def _round_changed(sender, instance, **kwargs):
    forget(instance.pk)
