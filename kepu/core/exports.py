"""List exports (Excel): one path for every list, small ones written in the request,
large ones by a background job.

Each export is declared once, beside its view, with `@exports.builder(name, ...)`: a
function of the request (its user and GET parameters, plus the URL's arguments) that
returns what to write (`Rows`), or None when the filters are not usable. The view calls
`views.common.export_list(request, name, **kwargs)`:

- up to EXPORT_INLINE_ROWS rows (counted up to that cap, never the whole table) the
  workbook is written in the request, as it always was;
- above it, a `core.export` job writes it. The worker calls the same builder with the
  request replayed (`replay`: the starter and the same parameters), so the filters, the
  data scope (re-evaluated with the starter's roles as they are when the job runs: a
  revoked role fails the job with a clear message), the columns and the masks of personal
  data are the very ones of the inline export.

Either way the export is audited once, under its own action code, with the filters and
the number of rows written.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, clock, jobs
from kepu.core.errors import DomainError
from kepu.core.excel import Column, Writer, export_response
from kepu.core.pagination import capped_count
from kepu.core.scope import require

CHUNK_ROWS = 2000  # rows read per query, and the job's progress step


@dataclass
class Rows:
    """What an export writes: the rows, how each becomes cells, and how it is audited."""

    queryset: QuerySet
    action: str  # the audit code, e.g. "people.person.exported"
    title: str  # the sheet's title
    columns: list[Column]
    to_values: Callable[[object], list]
    basename: str  # the file name without the time stamp and extension
    detail: dict | None = None  # more for the audit entry (a reason, the activity)


@dataclass(frozen=True)
class Export:
    name: str
    build: Callable  # (request, **url_kwargs) -> Rows | None (None: unusable filters)
    permission: str  # held in some scope to export at all (checked again by the worker)
    back: str  # URL name of the list, where unusable filters are shown ("" = none)


EXPORTS: dict[str, Export] = {}


def builder(name: str, *, permission: str, back: str = ""):
    """Declare the export `name`: the decorated function takes the request (and the URL's
    keyword arguments) and returns `Rows`, or None when the filters are not usable. It
    must read nothing from the request but `user` and `GET`: a job replays it."""

    def register(func):
        EXPORTS[name] = Export(name, func, permission, back)
        return func

    return register


def get(name: str) -> Export | None:
    if name not in EXPORTS:
        # The builders are declared beside their views, which the URLconf imports; a
        # worker process may not have loaded it yet.
        import_module(settings.ROOT_URLCONF)
    return EXPORTS.get(name)


def replay(user, query: str) -> HttpRequest:
    """A GET request carrying only what a builder reads: the user and the parameters."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    return request


def inline_rows(rows: Rows) -> int | None:
    """The number of rows when the export is small enough to write in the request
    (at most EXPORT_INLINE_ROWS), else None."""
    count, over = capped_count(rows.queryset, settings.EXPORT_INLINE_ROWS)
    return None if over else count


def record(rows: Rows, params: QueryDict, count: int, *, actor=None, job=None) -> None:
    model = rows.queryset.model
    detail = {"filters": params.dict(), "rows": count, **(rows.detail or {})}
    if job is not None:
        detail["job"] = str(job.pk)
    audit.record(
        rows.action,
        actor=actor,
        object_type=f"{model._meta.app_label}.{model._meta.model_name}",
        detail=detail,
    )


def filename(rows: Rows) -> str:
    return f"{rows.basename}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def respond_inline(request, rows: Rows, count: int):
    """Write the workbook in the request (as the platform always did for a list)."""
    record(rows, request.GET, count)
    return export_response(
        rows.title,
        rows.columns,
        rows.queryset.iterator(chunk_size=CHUNK_ROWS),
        rows.to_values,
        filename(rows),
    )


def start(request, name: str, rows: Rows, url_kwargs: dict):
    """Start the job that writes a large export. The same export asked for again within
    the minute (a double click, a reload) in the same language is the same job."""
    query = request.GET.urlencode()
    language = translation.get_language()
    digest = hashlib.sha256(
        json.dumps([name, query, url_kwargs, language], sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    minute = int(clock.now().timestamp() // 60)
    return jobs.start(
        "core.export",
        actor=request.user,
        params={"export": name, "query": query, "kwargs": url_kwargs},
        title=_("Export: %(title)s") % {"title": rows.title},
        idem=f"core.export:{request.user.pk}:{digest}:{minute}",
    )


@jobs.kind("core.export", title=gettext_lazy("Export a list"), retries=2, queue="bulk")
def _export_job(run) -> dict:
    spec = get(run.params["export"])
    if spec is None:
        raise DomainError(_("This export no longer exists."))
    user = run.actor
    query = run.params.get("query", "")
    try:
        require(user, spec.permission)
        rows = spec.build(replay(user, query), **run.params.get("kwargs", {}))
    except (PermissionDenied, Http404) as exc:
        raise DomainError(
            _(
                "You may no longer export this list: your roles or data scope changed "
                "after the export was started."
            )
        ) from exc
    if rows is None:
        raise DomainError(_("The filters of this export are no longer valid."))
    total = rows.queryset.count()
    run.progress(0, total, _("Writing %(n)s rows") % {"n": f"{total:,}"})
    writer = Writer()
    sheet = writer.sheet(rows.title[:31], rows.columns)
    written = 0
    for written, obj in enumerate(rows.queryset.iterator(chunk_size=CHUNK_ROWS), start=1):
        writer.write_row(sheet, written, rows.to_values(obj))
        if written % CHUNK_ROWS == 0:
            run.progress(written, max(total, written))
    path = writer.save()
    try:
        with open(path, "rb") as handle, transaction.atomic():
            run.save_file(filename(rows), handle)
            record(rows, QueryDict(query), written, actor=user, job=run.job)
    finally:
        os.unlink(path)
    run.outcome = _("%(n)s rows written.") % {"n": f"{written:,}"}
    return {"rows": written}
