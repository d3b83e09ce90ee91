"""Checked single-row fetches of the bases app."""

from django.http import Http404

from kepu.bases.models import Base
from kepu.core.scope import get_for_user


def get_base_for_user(user, pk, action="view") -> Base:
    """A base in the user's back-office scope (404 outside it, 403 without `action`)."""
    return get_for_user(Base.objects.with_relations(), user, pk, action, public=False)


def get_public_base(pk) -> Base:
    """A listed base for the portal (404 for any other)."""
    base = Base.objects.listed().with_relations().filter(pk=pk).first()
    if base is None:
        raise Http404
    return base
