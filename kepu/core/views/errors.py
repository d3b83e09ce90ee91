"""Error pages with generic messages (no stack traces, no settings)."""

from django.shortcuts import render

from kepu.core import audit
from kepu.core.choices import AuditOutcome


def record_denial(request) -> None:
    """A signed-in user was refused (403): a security event for the audit trail."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit.record(
            "core.access.denied",
            outcome=AuditOutcome.DENIED,
            detail={"method": request.method, "path": request.path[:300]},
        )


def _render(request, status, template):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _render(request, 400, "core/errors/400.html")


def permission_denied(request, exception=None):
    record_denial(request)
    return _render(request, 403, "core/errors/403.html")


def page_not_found(request, exception=None):
    return _render(request, 404, "core/errors/404.html")


def server_error(request):
    return _render(request, 500, "core/errors/500.html")
