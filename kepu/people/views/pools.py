"""Expert pools and the expert finder (volunteer teams: `teams.py`)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import rollups
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.people import rollups as counters
from kepu.people import services
from kepu.people.filters import ExpertFilter
from kepu.people.forms import PoolForm
from kepu.people.models import ExpertPool, PoolMembership
from kepu.people.permissions import get_expertpool_for_user


@permission_required("people.expertpool.view")
def pool_list(request):
    can_create = has_permission(request.user, "people.expertpool.create")
    form = PoolForm(request.POST or None, user=request.user) if can_create else None
    pools = _with_member_counts(
        visible_to(request.user, ExpertPool.objects.select_related("region")).order_by(
            "kind", "name", "pk"
        )
    )
    if form is None:
        return render(request, "people/pool_list.html", {"pools": pools, "form": None})
    response = submit_form(
        request,
        form,
        lambda: services.create_pool(actor=request.user, **form.cleaned_data),
        success=lambda pool: reverse("people:pool_detail", args=[pool.pk]),
        message=lambda pool: _("Expert pool “%(name)s” created.") % {"name": pool},
        fallback=reverse("people:pool_list"),
    )
    return response or form_page(request, "people/pool_list.html", form, {"pools": pools})


def _with_member_counts(pools) -> list:
    """The pools with `member_count` from the registry's counters (not a count of the
    memberships per request)."""
    counts: dict[str, int] = {}
    for key, n in rollups.by_key(counters.POOL_MEMBERS, None).items():
        pool_id = key.partition(":")[0]
        counts[pool_id] = counts.get(pool_id, 0) + n
    pools = list(pools)
    for pool in pools:
        pool.member_count = counts.get(str(pool.pk), 0)
    return pools


@require_safe
@permission_required("people.expertpool.view")
def pool_detail(request, pk):
    pool = get_expertpool_for_user(request.user, pk)
    members = visible_to(request.user, pool.memberships.with_relations())
    return render(
        request,
        "people/pool_detail.html",
        {"pool": pool, "page": paginate(request, members), "query": ""},
    )


@require_safe
@permission_required("people.poolmembership.view")
def expert_search(request):
    """E.g. available emergency experts on earthquakes in this city — one query."""
    queryset = visible_to(request.user, PoolMembership.objects.with_relations())
    filterset = ExpertFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, PoolMembership, "view", required=False
    )
    rows = filterset.qs.distinct() if filter_is_usable(filterset) else queryset.none()
    return render(
        request,
        "people/expert_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows),
            "query": query_without_page(request),
        },
    )
