"""Responses that carry personal data are never stored by a browser or a proxy.

A full-value export, a revealed ID or phone number, or any file a job wrote for one
person must not stay in the browser's cache (a shared office computer, the back button
after logging out) or in an intermediate cache. `no_store(response)` marks a response so;
it is applied in the few places every such response passes through:

- `core.excel.Writer.close`: every workbook written in a request (list exports, the full
  registry export, templates, error reports; the public open data sets its own caching);
- `core.views.jobs.job_file`: every file a job wrote (large exports, PDF batches);
- the reveal page (`never_cache`) and the reveal endpoint.

`kepu/core/tests/test_no_store.py` requests each endpoint that can answer a full value
and fails when a new source of full values appears without being listed there.
"""

from __future__ import annotations

NO_STORE = "private, no-store"


def no_store(response):
    """Forbid every cache to keep `response`; returns it."""
    response["Cache-Control"] = NO_STORE
    return response
