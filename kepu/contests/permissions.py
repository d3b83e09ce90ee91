"""Checked single-row fetches of the contests app: outside the user's scope a 404, in
scope without the right a 403."""

from kepu.contests.models import Attempt, Contest, ContestRound, PrizeList
from kepu.core.scope import get_for_user


def get_contest_for_user(user, pk, action="view") -> Contest:
    return get_for_user(Contest.objects.with_relations(), user, pk, action, public=False)


def get_round_for_user(user, pk, action="view") -> ContestRound:
    return get_for_user(ContestRound.objects.with_relations(), user, pk, action, public=False)


def get_attempt_for_user(user, pk, action="view") -> Attempt:
    return get_for_user(Attempt.objects.with_relations(), user, pk, action)


def get_prizelist_for_user(user, pk, action="view") -> PrizeList:
    return get_for_user(PrizeList.objects.with_relations(), user, pk, action, public=False)
