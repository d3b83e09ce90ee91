"""Checked single-row fetches of the selections app (`get_*_for_user`): outside the
user's scope a 404, in scope without the right a 403."""

from django.http import Http404

from kepu.core.scope import get_for_user
from kepu.selections.choices import PUBLIC_CALL_STATUSES
from kepu.selections.models import Call, Entry, Objection, Project, Review


def get_call_for_user(user, pk, action="view") -> Call:
    """A call the user may act on (its organizers), or read (the officers below it, and
    everyone once it is open: `public`)."""
    return get_for_user(Call.objects.with_relations(), user, pk, action)


def get_public_call(pk) -> Call:
    """An open or finished call for the portal (404 for a draft)."""
    call = Call.objects.with_relations().filter(pk=pk, status__in=PUBLIC_CALL_STATUSES).first()
    if call is None:
        raise Http404
    return call


def get_entry_for_user(user, pk, action="view") -> Entry:
    return get_for_user(Entry.objects.with_relations(), user, pk, action)


def get_review_for_user(user, pk, action="view") -> Review:
    return get_for_user(Review.objects.with_relations(), user, pk, action)


def get_objection_for_user(user, pk, action="view") -> Objection:
    return get_for_user(Objection.objects.with_relations(), user, pk, action)


def get_project_for_user(user, pk, action="view") -> Project:
    return get_for_user(Project.objects.with_relations(), user, pk, action)
