"""Per-request context (request id, client IP, actor) for the audit trail.

Set by `RequestContextMiddleware`; read by `audit.record`. Commands and tasks run with
an empty context, so their entries carry no IP or request id.
"""

import ipaddress
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user: object | None = None


_current: ContextVar[RequestContext | None] = ContextVar("kepu_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def activate(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is honoured only when the direct peer is a
    configured trusted proxy, so a client cannot forge its address in the audit trail."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    if remote and remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h for h in (_valid_ip(x) for x in forwarded.split(",")) if h]
        untrusted = [h for h in hops if h not in settings.TRUSTED_PROXIES]
        if untrusted:
            return untrusted[-1]
    return remote


def new_request_id() -> str:
    return uuid.uuid4().hex
