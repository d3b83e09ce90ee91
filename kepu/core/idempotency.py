"""Double-submit protection for page forms. Each form render carries a fresh token; the
first valid submission claims it, and a repeat (double click, browser retry, back-and-
resubmit) is sent to the first submission's result instead of creating a second record.
The cache is shared by all app servers when KEPU_REDIS_URL is set."""

import time
import uuid

from django.core.cache import cache

FIELD = "form_token"
TTL_SECONDS = 3600


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request, token: str) -> str:
    return f"kepu:form:{request.user.pk}:{token}"


def claim(request) -> tuple[bool, str | None]:
    """(True, None) when this submission is the first with its token; otherwise
    (False, url of the first submission's result, or None while it is still running)."""
    token = request.POST.get(FIELD, "")
    if not token:
        return True, None
    if cache.add(_key(request, token), "", TTL_SECONDS):
        return True, None
    return False, cache.get(_key(request, token)) or None


def repeated(request) -> tuple[bool, str | None]:
    """Whether this submission's token was claimed before (a double click, a retry):
    (True, url of the first submission's result, or None while it is still running).
    Checked before the form is validated, since the first submission may have made the
    form invalid (the document it registered now exists)."""
    token = request.POST.get(FIELD, "")
    if not token:
        return False, None
    url = cache.get(_key(request, token))
    if url is None:
        return False, None
    return True, url or None


def await_result(request, seconds: float = 5.0, every: float = 0.05) -> str | None:
    """The first submission's result URL, waiting up to `seconds` while it is still
    running (a double click sends the second request at once, and the browser shows the
    answer to the last one). None when the first failed (its token was released) or is
    still running after `seconds`."""
    token = request.POST.get(FIELD, "")
    if not token:
        return None
    deadline = time.monotonic() + seconds
    while True:
        url = cache.get(_key(request, token))
        if url is None:  # released: the first submission failed
            return None
        if url or time.monotonic() >= deadline:
            return url or None
        time.sleep(every)


def remember(request, url: str) -> None:
    token = request.POST.get(FIELD, "")
    if token:
        cache.set(_key(request, token), url, TTL_SECONDS)


def release(request) -> None:
    """The claimed submission failed: the same token may be submitted again."""
    token = request.POST.get(FIELD, "")
    if token:
        cache.delete(_key(request, token))
