"""Checked fetches of the survey's scoped rows (the choke point for single rows): every
page and job of the app reads a round or a return through these."""

from kepu.core.scope import get_for_user
from kepu.stats.models import Return, SurveyRound


def returns_with_relations():
    return Return.objects.select_related(
        "round", "round__data_set", "round__region", "organization", "region", "submitted_by"
    )


def get_round_for_user(user, pk, action="view") -> SurveyRound:
    rows = SurveyRound.objects.select_related("data_set", "region")
    return get_for_user(rows, user, pk, action, public=False)


def get_return_for_user(user, pk, action="view") -> Return:
    return get_for_user(returns_with_relations(), user, pk, action, public=False)
