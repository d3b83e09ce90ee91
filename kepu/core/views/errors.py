"""Error pages with generic messages (no stack traces, no settings)."""

from django.shortcuts import render


def _render(request, status, template):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _render(request, 400, "core/errors/400.html")


def permission_denied(request, exception=None):
    return _render(request, 403, "core/errors/403.html")


def page_not_found(request, exception=None):
    return _render(request, 404, "core/errors/404.html")


def server_error(request):
    return _render(request, 500, "core/errors/500.html")
