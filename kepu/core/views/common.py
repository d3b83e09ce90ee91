"""Helpers shared by the page views."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone

from kepu.core import audit
from kepu.core.excel import export_response
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


def export_list(request, *, queryset, action, title, columns, to_values, basename, detail=None):
    """Stream `queryset` as an Excel download and record who exported what (the filters
    and the row count) in the audit trail."""
    count = queryset.count()
    audit.record(
        action,
        object_type=f"{queryset.model._meta.app_label}.{queryset.model._meta.model_name}",
        detail={"filters": request.GET.dict(), "rows": count, **(detail or {})},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_response(
        title, columns, queryset.iterator(chunk_size=2000), to_values, f"{basename}-{stamp}.xlsx"
    )


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


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
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
