"""Checked single-row fetches of the rubrics app."""

from django.http import Http404

from kepu.core.scope import get_for_user
from kepu.rubrics.models import Criterion, Rubric


def get_rubric_for_user(user, pk, action="view") -> Rubric:
    return get_for_user(Rubric.objects.select_related("region"), user, pk, action)


def get_criterion_for_user(user, pk, action="view") -> Criterion:
    """A criterion, through its rubric's scope (criteria have none of their own)."""
    criterion = Criterion.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if criterion is None:
        raise Http404
    criterion.rubric = get_rubric_for_user(user, criterion.rubric_id, action)
    return criterion
