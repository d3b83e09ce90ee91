"""Helpers shared by the page views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

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
