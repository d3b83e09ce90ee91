"""A fixed-window rate limit per client IP for public submissions, kept in the cache
(shared by every app server when KEPU_REDIS_URL is set)."""

import time

from django.core.cache import cache


def allow(request, name: str, *, limit: int, per_seconds: int) -> bool:
    """Count this request; False once the client made `limit` in the current window."""
    window = int(time.time() // per_seconds)
    key = f"kepu:rl:{name}:{getattr(request, 'client_ip', '') or '-'}:{window}"
    if cache.add(key, 1, per_seconds + 5):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, per_seconds + 5)
        return True
