"""Public pages and files from the shared cache, refreshed in the background.

A public page (the calendar, the catalog and its facets, the map points, open-data
files) is the same for every anonymous visitor with the same address, language and text
size. `public_page(tags)` serves it from the cache (Redis in production, see settings):

- every entry records the versions of its tags (e.g. "resources") at the time it was
  made; `bump(tag)` — called by the services when something public changes, after the
  commit — makes the entries of that tag stale;
- a stale or old entry (older than FRESH_SECONDS) is still served, and one worker
  re-renders it in a background thread meanwhile (a lock in the cache keeps it to one),
  so no visitor waits for a miss except the very first after a cold start;
- a published change therefore shows from the first visit that comes after the
  background render finishes: within a few seconds of the next visit, and at most
  FRESH_SECONDS after the change for a page that nobody visited.

Signed-in visitors, non-GET requests and pages that set cookies or carry messages are
never cached.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction
from django.http import HttpResponse
from django.utils import translation

log = logging.getLogger(__name__)

FRESH_SECONDS = 60
KEEP_SECONDS = 24 * 3600
LOCK_SECONDS = 30
A11Y_COOKIE = "kepu_a11y"


def _version_key(tag: str) -> str:
    return f"pv:{tag}"


def versions(tags) -> tuple:
    keys = [_version_key(t) for t in tags]
    found = cache.get_many(keys)
    return tuple(found.get(k, 0) for k in keys)


def bump(*tags: str) -> None:
    """Something public of these tags changed: after the commit, their entries go stale."""

    def run():
        for tag in tags:
            key = _version_key(tag)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, None)

    transaction.on_commit(run)


def _synchronous() -> bool:
    return getattr(settings, "KEPU_PUBLIC_CACHE_SYNC", False)


def cached_value(key: str, tags, make, *, fresh: int = FRESH_SECONDS):
    """The value under `key`, made by `make()` when missing; stale-while-revalidate as
    described above. The value must be picklable."""
    current = versions(tags)
    entry = cache.get(key)
    if entry is not None:
        made_with, made_at, value = entry
        if made_with == current and time.time() - made_at < fresh:
            return value
        if cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            _refresh(key, tags, make)
        return value
    value = make()
    cache.set(key, (current, time.time(), value), KEEP_SECONDS)
    return value


def _refresh(key, tags, make) -> None:
    def work():
        try:
            current = versions(tags)
            value = make()
            cache.set(key, (current, time.time(), value), KEEP_SECONDS)
        except Exception:  # a failed refresh leaves the stale entry; the next visit retries
            log.exception("public cache refresh failed for %s", key)
        finally:
            cache.delete(f"{key}:lock")

    if _synchronous():
        work()
        return

    def in_thread():
        close_old_connections()
        try:
            work()
        finally:
            connections.close_all()

    threading.Thread(target=in_thread, daemon=True).start()


def page_key(request, prefix: str, extra: str = "") -> str:
    raw = "|".join(
        [
            request.path,
            request.GET.urlencode(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.COOKIES.get(A11Y_COOKIE, ""),
            extra,
        ]
    )
    return f"pp:{prefix}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cacheable(request) -> bool:
    user = getattr(request, "user", None)
    return request.method == "GET" and not (user is not None and user.is_authenticated)


def public_page(*tags: str, fresh: int = FRESH_SECONDS, vary=None):
    """View decorator: serve anonymous GETs of the page from the shared cache.

    `vary(request)` (optional) returns what else the page depends on, e.g. a preference
    cookie (the home page's region): one entry per value. Keep its values few and
    validated, since each is an entry of its own."""

    def decorator(view):
        prefix = f"{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)

            language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)

            def make():
                with translation.override(language):
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render") and callable(response.render):
                        response = response.render()
                if response.status_code != 200 or response.cookies or response.streaming:
                    return ("pass", response)
                return (
                    "page",
                    response.content,
                    response.get("Content-Type"),
                    response.get("Content-Disposition"),
                )

            key = page_key(request, prefix, vary(request) if vary else "")
            entry = cached_value(key, tags, lambda: _storable(make()), fresh=fresh)
            if entry[0] == "pass":
                # Not shareable (an error, a cookie): nothing stays stored for it, so the
                # page is cached again once it answers normally.
                cache.delete(key)
                return view(request, *args, **kwargs)
            _kind, content, content_type, disposition = entry
            response = HttpResponse(content, content_type=content_type)
            if disposition:
                response["Content-Disposition"] = disposition
            response["X-Kepu-Cache"] = "shared"
            return response

        return wrapper

    return decorator


def _storable(made):
    # A response that must not be shared is not stored (marked "pass").
    if made[0] == "pass":
        return ("pass",)
    return made
