"""Checked single-row fetches of the literacy app: outside the user's scope a 404, in
scope without the right a 403."""

from django.http import Http404

from kepu.core.scope import get_for_user
from kepu.literacy import choices as c
from kepu.literacy.models import Item, Response, SamplePoint, SurveyRound


def get_item_for_user(user, pk, action="view") -> Item:
    return get_for_user(Item.objects.with_relations(), user, pk, action)


def get_round_for_user(user, pk, action="view") -> SurveyRound:
    return get_for_user(SurveyRound.objects.with_relations(), user, pk, action, public=False)


def get_response_for_user(user, pk, action="view") -> Response:
    return get_for_user(Response.objects.with_relations(), user, pk, action)


def get_fielding_round(token) -> SurveyRound:
    """A round in the field (or closed: the page says so) by its public link."""
    round_ = (
        SurveyRound.objects.with_relations()
        .filter(token=token)
        .exclude(status=c.RoundStatus.DRAFT)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def get_fielding_point(token) -> SamplePoint:
    point = (
        SamplePoint.objects.select_related("round__region", "round__instrument", "stratum__region")
        .filter(token=token)
        .exclude(round__status=c.RoundStatus.DRAFT)
        .first()
    )
    if point is None:
        raise Http404
    return point
