"""Placeholder: replaced by the implementation."""

from django.http import Http404


def expert_list(request, **kwargs):
    raise Http404


def expert_review(request, **kwargs):
    raise Http404
