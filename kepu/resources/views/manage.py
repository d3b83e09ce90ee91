"""Placeholder: replaced by the implementation."""

from django.http import Http404


def resource_list(request, **kwargs):
    raise Http404


def resource_export(request, **kwargs):
    raise Http404


def resource_create(request, **kwargs):
    raise Http404


def queue(request, **kwargs):
    raise Http404


def resource_detail(request, **kwargs):
    raise Http404


def resource_update(request, **kwargs):
    raise Http404


def resource_submit(request, **kwargs):
    raise Http404


def resource_check(request, **kwargs):
    raise Http404


def resource_add_reviewers(request, **kwargs):
    raise Http404


def resource_decide(request, **kwargs):
    raise Http404


def resource_manage(request, **kwargs):
    raise Http404


def version_detail(request, **kwargs):
    raise Http404


def attachment_upload(request, **kwargs):
    raise Http404


def attachment_download(request, **kwargs):
    raise Http404


def attachment_thumbnail(request, **kwargs):
    raise Http404


def attachment_delete(request, **kwargs):
    raise Http404
