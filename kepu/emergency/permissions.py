"""Checked single-row fetches of the emergency app."""

from django.http import Http404

from kepu.core.scope import get_for_user
from kepu.emergency.models import (
    Delivery,
    GroupMember,
    Incident,
    Push,
    Rebuttal,
    RebuttalReview,
    Rumor,
)


def get_incident_for_user(user, pk, action="view") -> Incident:
    return get_for_user(Incident.objects.with_relations(), user, pk, action, public=False)


def get_public_incident(pk) -> Incident:
    """An incident for anyone (its public page). A drill is reachable by its address (it
    is shown as an exercise) but never listed."""
    incident = Incident.objects.select_related("region").filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def get_member_for_user(user, pk, action="view") -> GroupMember:
    return get_for_user(GroupMember.objects.with_relations(), user, pk, action, public=False)


def get_push_for_user(user, pk, action="view") -> Push:
    return get_for_user(Push.objects.with_relations(), user, pk, action, public=False)


def get_delivery_for_user(user, pk, action="view") -> Delivery:
    return get_for_user(Delivery.objects.with_relations(), user, pk, action, public=False)


def get_rumor_for_user(user, pk, action="view") -> Rumor:
    return get_for_user(Rumor.objects.with_relations(), user, pk, action, public=False)


def get_rebuttal_for_user(user, pk, action="view") -> Rebuttal:
    return get_for_user(Rebuttal.objects.with_relations(), user, pk, action, public=False)


def get_public_rebuttal(pk) -> Rebuttal:
    rebuttal = Rebuttal.objects.public().select_related("rumor", "incident").filter(pk=pk).first()
    if rebuttal is None:
        raise Http404
    return rebuttal


def get_review_for_user(user, pk, action="view") -> RebuttalReview:
    qs = RebuttalReview.objects.select_related("rebuttal", "rebuttal__rumor", "person")
    return get_for_user(qs, user, pk, action, public=False)
