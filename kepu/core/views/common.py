"""Helpers shared by the page views."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from kepu.core import idempotency
from kepu.core.scope import require

PAGE_SIZE = 25


def permission_required(permission: str):
    """Login required, then the permission in some scope (else 403). Object scope is
    checked separately through get_*_for_user."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def export_list(request, name: str, **url_kwargs):
    """The Excel export `name` (declared with `kepu.core.exports.builder`) of the list the
    user is looking at: written in the request up to EXPORT_INLINE_ROWS rows, by a
    background job above that (the user goes to the job's page and downloads it from
    there). Audited once either way: who exported what, the filters and the row count."""
    from kepu.core import exports
    from kepu.core.views.jobs import job_page

    spec = exports.get(name)
    rows = spec.build(request, **url_kwargs)
    if rows is None:  # unusable filters: the list shows why
        return redirect(f"{reverse(spec.back)}?{request.GET.urlencode()}")
    count = exports.inline_rows(rows)
    if count is not None:
        return exports.respond_inline(request, rows, count)
    job = exports.start(request, name, rows, url_kwargs)
    messages.info(
        request,
        _("More than %(n)s rows: the file is being prepared; download it here when it is ready.")
        % {"n": f"{settings.EXPORT_INLINE_ROWS:,}"},
    )
    return redirect(job_page(job))


def add_errors(form, exc) -> None:
    """Put a ValidationError raised by a service onto the form (field errors where the
    field exists on the form, the rest as form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def filter_is_usable(filterset) -> bool:
    """No filter given, or every given filter valid. An invalid filter (e.g. a region
    outside the user's scope) must show nothing rather than silently everything."""
    return not filterset.is_bound or filterset.is_valid()


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count=None):
    """The requested page of `queryset`, with a capped count (or `count()`, e.g. from
    rollups) and keyset links beyond the first pages (`kepu.core.pagination`)."""
    from kepu.core.pagination import paginate as page_of

    return page_of(request, queryset, per_page, count=count)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    return params.urlencode()


def done(request, to: str, pk, message):
    """After a step on a detail page: say it worked and go back to the page (`to` is
    the URL name taking `pk`)."""
    messages.success(request, message)
    return redirect(to, pk=pk)


def refused(request, to: str, pk, exc):
    """After a step the service refused: show its reasons and go back to the page."""
    messages.error(request, " ".join(exc.messages))
    return redirect(to, pk=pk)


# --- the one helper for create, edit and workflow-step pages ------------------------------
#
# Every page that changes data goes through `submit_form` (a form) or `run_step` (a button
# on a detail page). Both carry the double-submit guard (`core.idempotency`: the first
# submission of a form token runs, a repeat is sent to the first one's result) and map the
# service's domain errors onto the form or into a message. Views never catch
# ValidationError themselves.


def _resolve(value, result):
    return value(result) if callable(value) else value


def submit_form(request, form, run, *, success, message=None, fallback=None):
    """For a POSTed, valid `form`: `run()` the service once per form token.

    - success: the URL (or a function of the service's result giving it) to go to;
    - message: the success message (or a function of the result);
    - fallback: where a repeat submission goes while the first is still running
      (default: `success` when it is a plain URL).
    Returns the redirect, or None when the page must be shown again: the form is not
    valid, or the service refused (its errors are on the form)."""
    if request.method != "POST":
        return None
    repeat, done_url = idempotency.repeated(request)
    if not repeat:
        if not form.is_valid():
            return None
        first, done_url = idempotency.claim(request)
        repeat = not first
    if repeat:
        done_url = done_url or idempotency.await_result(request)
        return redirect(done_url or fallback or (success if not callable(success) else "/"))
    try:
        result = run()
    except ValidationError as exc:
        idempotency.release(request)
        add_errors(form, exc)
        return None
    url = resolve_url(_resolve(success, result))
    idempotency.remember(request, url)
    if message:
        messages.success(request, _resolve(message, result))
    return redirect(url)


def run_step(request, run, *, back, message=None):
    """A workflow step without a page of its own (a POST from a button): run the service
    once per form token, say what happened and go `back` (a URL). A refusal is shown as
    an error message on the page the user came from."""
    back = resolve_url(back)
    first, done_url = idempotency.claim(request)
    if not first:
        return redirect(done_url or idempotency.await_result(request) or back)
    try:
        result = run()
    except ValidationError as exc:
        idempotency.release(request)
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    idempotency.remember(request, back)
    if message:
        messages.success(request, _resolve(message, result))
    return redirect(back)


def form_page(request, template, form, context=None, **kwargs):
    """Render a form page (its template puts `{% form_token %}` in the form); 400 when a
    submitted form is shown again with errors (so scripts and tests see the refusal)."""
    context = {"form": form, **(context or {})}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=kwargs.pop("status", status), **kwargs)
