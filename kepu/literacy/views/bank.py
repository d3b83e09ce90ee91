"""Pages of the item bank: the list with its filters and Excel export, an item as the
respondent sees it (with its key, versions, usage, statistics and reviews), writing and
changing items, sending them to the experts, retiring them, and the shipped test
structures."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.literacy import choices as c
from kepu.literacy.filters.bank import ItemFilter
from kepu.literacy.forms.bank import ItemForm, RetireForm, SendToReviewForm
from kepu.literacy.io_bank import bank_region, export_columns, export_values
from kepu.literacy.models import FormItem, Instrument, Item
from kepu.literacy.permissions import get_item_for_user
from kepu.literacy.services import bank as services
from kepu.literacy.views.bank_reading import reading, shown_options

DETAIL = "literacy:item_detail"
ORDER = ("dimension_id", "code", "pk")
CANDIDATES = 30  # shown
CANDIDATES_ACCEPTED = 500  # a POST may name any eligible expert, not only those shown


def _filtered(request):
    queryset = visible_to(request.user, Item.objects.with_relations())
    filterset = ItemFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Item, "view", required=False)
    return filterset


@require_safe
@permission_required("literacy.item.view")
def item_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "literacy.item")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Item.objects.none()
    user = request.user
    return render(
        request,
        "literacy/bank/item_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by(*ORDER)),
            "query": query_without_page(request),
            "instruments": Instrument.objects.prefetch_related("dimensions"),
            "can_create": has_permission(user, "literacy.item.create") and bank_region(user),
            "can_export": has_permission(user, "literacy.item.export"),
        },
    )


@exports.builder("literacy.item", permission="literacy.item.export", back="literacy:item_list")
def item_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by(*ORDER),
        action="literacy.item.exported",
        title=_("Test items"),
        columns=export_columns(),
        to_values=export_values,
        basename="items",
    )


def _versions(item):
    return list(
        Item.objects.filter(region=item.region_id, code=item.code)
        .only("pk", "version", "status", "changed_at", "created_at")
        .order_by("-version")
    )


@require_safe
@permission_required("literacy.item.view")
def item_detail(request, pk):
    item = get_item_for_user(request.user, pk)
    user = request.user
    may = {a: scope.can(user, item, a) for a in ("change", "review", "retire")}
    newer = services.newer_version(item) if item.status == c.ItemStatus.APPROVED else None
    stats = list(item.stats.select_related("run__round").order_by("-run__finished_at", "-pk")[:8])
    for stat in stats:
        stat.readings = reading(stat, item)
    context = {
        "item": item,
        "options": shown_options(item),
        "versions": _versions(item),
        "newer": newer,
        "usage": list(
            FormItem.objects.filter(item=item)
            .select_related("form__round")
            .order_by("-form__round__year", "-form__round_id", "form__label")[:50]
        ),
        "stats": stats,
        "reviews": list(item.reviews.select_related("reviewer").order_by("-assigned_at", "-pk")),
        "retire_reason": services.retire_reason(item)
        if item.status == c.ItemStatus.RETIRED
        else "",
        "can_edit": may["change"]
        and (item.can_edit() or (item.status == c.ItemStatus.APPROVED and newer is None)),
        "can_send": may["review"] and item.can_send_to_review(),
        "can_retire": may["retire"] and item.can_retire(),
        "retire_form": RetireForm(),
    }
    if context["can_send"]:
        candidates = services.reviewer_candidates(item, user, limit=CANDIDATES)
        context["review_form"] = SendToReviewForm(candidates=candidates)
    return render(request, "literacy/bank/item_detail.html", context)


@permission_required("literacy.item.create")
def item_create(request):
    region = bank_region(request.user)
    if region is None:
        raise Http404
    form = ItemForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.create_item(region, actor=request.user, **form.service_fields()),
        success=lambda item: reverse(DETAIL, args=[item.pk]),
        message=_("Item saved as a draft. Send it to the experts when it is ready."),
        fallback=reverse("literacy:item_list"),
    )
    return done or form_page(
        request, "literacy/bank/item_form.html", form, {"item": None, "region": region}
    )


@permission_required("literacy.item.change")
def item_edit(request, pk):
    item = get_item_for_user(request.user, pk, "change")
    form = ItemForm(request.POST or None, item=item)
    versioning = item.status == c.ItemStatus.APPROVED
    done = submit_form(
        request,
        form,
        lambda: services.change_item(item, actor=request.user, **form.service_fields()),
        success=lambda changed: reverse(DETAIL, args=[changed.pk]),
        message=_("A new version has been written as a draft; the approved one stays in use "
                  "until it passes review.") if versioning else _("Changes saved."),
    )  # fmt: skip
    return done or form_page(
        request, "literacy/bank/item_form.html", form,
        {"item": item, "region": item.region, "versioning": versioning},
    )  # fmt: skip


@require_POST
@permission_required("literacy.item.review")
def item_send(request, pk):
    item = get_item_for_user(request.user, pk, "review")
    candidates = services.reviewer_candidates(item, request.user, limit=CANDIDATES_ACCEPTED)
    form = SendToReviewForm(request.POST, candidates=candidates)
    done = submit_form(
        request,
        form,
        lambda: services.send_to_review(
            item,
            actor=request.user,
            reviewers=form.memberships(),
            due_date=form.cleaned_data.get("due_date"),
        ),  # fmt: skip
        success=reverse(DETAIL, args=[pk]),
        message=lambda reviews: (
            _("Sent to %(n)d expert(s) for the accuracy review.") % {"n": len(reviews)}
        ),
    )
    if done:
        return done
    return form_page(
        request,
        "literacy/bank/item_send.html",
        form,
        {"item": item, "options": shown_options(item)},
    )


@require_POST
@permission_required("literacy.item.retire")
def item_retire(request, pk):
    item = get_item_for_user(request.user, pk, "retire")
    form = RetireForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: services.retire_item(item, actor=request.user, reason=form.cleaned_data["reason"]),
        success=reverse(DETAIL, args=[pk]),
        message=_("The item is retired: new forms will not use it."),
    )
    if done:
        return done
    return form_page(request, "literacy/bank/item_retire.html", form, {"item": item})


@require_safe
@permission_required("literacy.item.view")
def instrument_list(request):
    """The shipped test structures: dimensions with their points and items per form, the
    tiers and the method note, with the number of usable items in the user's view."""
    usable = dict(
        visible_to(request.user, Item)
        .filter(status=c.ItemStatus.APPROVED)
        .values_list("dimension")
        .annotate(n=Count("pk"))
        .order_by()
    )
    instruments = list(Instrument.objects.prefetch_related("dimensions"))
    labels = dict(c.Tier.choices)
    for instrument in instruments:
        for dimension in instrument.dimensions.all():
            dimension.usable = usable.get(dimension.pk, 0)
        instrument.tier_rows = [
            (labels.get(t["code"], t["code"]), t["min"]) for t in instrument.tiers or []
        ]
    return render(request, "literacy/bank/instrument_list.html", {"instruments": instruments})
