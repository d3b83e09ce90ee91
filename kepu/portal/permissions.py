"""Checked single-row fetches of notices."""

from django.http import Http404

from kepu.core.scope import get_for_user
from kepu.portal.models import Notice


def get_notice_for_user(user, pk, action="view") -> Notice:
    """A notice of the back office: outside the user's scope a 404, even when published
    (the public page shows those), without the right to `action` a 403."""
    return get_for_user(Notice.objects.with_relations(), user, pk, action, public=False)


def get_public_notice(pk) -> Notice:
    """A published notice, for anyone; anything else is a 404."""
    notice = Notice.objects.published().select_related("region").filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice
