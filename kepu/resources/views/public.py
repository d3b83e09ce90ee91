"""Placeholder: replaced by the implementation."""

from django.http import Http404


def search(request, **kwargs):
    raise Http404


def menu(request, **kwargs):
    raise Http404


def emergency(request, **kwargs):
    raise Http404


def policies(request, **kwargs):
    raise Http404


def resource_map(request, **kwargs):
    raise Http404


def map_points(request, **kwargs):
    raise Http404


def open_data(request, **kwargs):
    raise Http404


def dcat(request, **kwargs):
    raise Http404


def download(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404


def public_file(request, **kwargs):
    raise Http404


def public_thumbnail(request, **kwargs):
    raise Http404
