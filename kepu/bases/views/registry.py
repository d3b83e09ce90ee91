"""Back-office pages of the base registry (`/bases/`): the list with filters and its
Excel export, a base's page (its catalog place, its status history from the audit
trail, and what the other areas add), registering a base and editing its details."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.filters.registry import BaseFilter
from kepu.bases.forms.registry import BaseEditForm, BaseRegisterForm
from kepu.bases.models import Base
from kepu.bases.permissions import get_base_for_user
from kepu.core import exports, scope
from kepu.core.audit import ACTION_LABELS
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import AuditEntry
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

DETAIL = "bases:base_detail"
STATUS_BADGES = {
    c.BaseStatus.ACTIVE: "bg-green-lt",
    c.BaseStatus.WARNED: "bg-yellow-lt",
    c.BaseStatus.RECTIFYING: "bg-orange-lt",
    c.BaseStatus.REVOKED: "bg-red-lt",
    c.BaseStatus.EXPIRED: "bg-secondary-lt",
}
HISTORY_SIZE = 30


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Base.objects.with_relations(),
        public=False,
    )
    filterset = BaseFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Base, "view", required=False)
    return filterset


@require_safe
@permission_required("bases.base.view")
def base_list(request):
    filterset = _filtered(request, Base.objects.for_list())
    queryset = filterset.qs if filter_is_usable(filterset) else Base.objects.none()
    page = paginate(request, queryset.order_by("-valid_from", "-pk"))
    for base in page:
        base.badge = STATUS_BADGES.get(base.status, "bg-blue-lt")
    user = request.user
    return render(
        request,
        "bases/base_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(user, "bases.base.create"),
            "can_export": has_permission(user, "bases.base.export"),
        },
    )


def _columns():
    return [
        Column("name", _("Name"), width=32),
        Column("level", _("Level"), width=10),
        Column("category", pgettext("base", "Category"), width=22),
        Column("unit", _("Unit"), width=30),
        Column("region", _("Region"), width=14),
        Column("address", _("Address"), width=32),
        Column("batch", _("Recognition batch"), width=24),
        Column("number", pgettext("base", "Certificate number"), width=16),
        Column("valid_from", _("Valid from"), width=12),
        Column("valid_to", _("Valid to"), width=12),
        Column("status", _("Status"), width=12),
        Column("open_days", _("Open days a year"), text=False, width=10),
        Column("area_m2", _("Exhibition area (m²)"), text=False, width=10),
        Column("staff", _("Full-time staff"), text=False, width=10),
        Column("docents", _("Docents"), text=False, width=10),
        Column("contact_phone", _("Office phone"), width=16),
    ]


def _values(base: Base) -> list:
    return [
        base.name,
        base.get_level_display(),
        base.get_category_display(),
        base.organization.name,
        base.region.name,
        base.place.address if base.place_id else "",
        base.batch,
        base.number,
        base.valid_from.isoformat(),
        base.valid_to.isoformat(),
        base.get_status_display(),
        base.open_days,
        base.area_m2,
        base.staff,
        base.docents,
        base.contact_phone,
    ]


@exports.builder("bases.base", permission="bases.base.export", back="bases:base_list")
def base_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-valid_from", "-pk"),
        action="bases.base.exported",
        title=_("Science-education bases"),
        columns=_columns(),
        to_values=_values,
        basename="bases",
    )


@require_safe
@permission_required("bases.base.export")
def base_export(request):
    return export_list(request, "bases.base")


def status_history(base: Base) -> list[dict]:
    """The base's entries in the audit trail, newest first (registration, changes,
    moves in dynamic management with their reasons; the daily expiry names bases in
    bulk and is shown from the status itself)."""
    entries = AuditEntry.objects.filter(object_type="bases.base", object_id=str(base.pk))
    rows = []
    for entry in entries.order_by("-seq")[:HISTORY_SIZE]:
        rows.append(
            {
                "at": entry.created_at,
                "label": ACTION_LABELS.get(entry.action, entry.action),
                "actor": entry.actor_username,
                "status": (entry.changes or {}).get("status"),
                "reason": (entry.detail or {}).get("reason", ""),
            }
        )
    return rows


@require_safe
@permission_required("bases.base.view")
def base_detail(request, pk):
    base = get_base_for_user(request.user, pk)
    status_labels = dict(c.BaseStatus.choices)
    history = status_history(base)
    for row in history:
        if row["status"]:
            row["status"] = [str(status_labels.get(s, s)) for s in row["status"]]
    return render(
        request,
        "bases/base_detail.html",
        {
            "base": base,
            "badge": STATUS_BADGES.get(base.status, "bg-blue-lt"),
            "history": history,
            "can_change": scope.can(request.user, base, "change"),
            "can_warn": scope.can(request.user, base, "warn"),
            "place_url": _place_url(request.user, base),
        },
    )


def _place_url(user, base) -> str:
    """Where the base's catalog place is shown: its back-office page when the user sees
    it there, else its public page when it is published."""
    place = base.place
    if place is None:
        return ""
    if has_permission(user, "resources.resource.view") and scope.can(user, place, "view"):
        return reverse("resources:resource_detail", args=[place.pk])
    if place.status == "published":
        return reverse("resources:public_detail", args=[place.uid])
    return ""


@permission_required("bases.base.create")
def base_create(request):
    form = BaseRegisterForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.register_base(actor=request.user, **form.service_fields()),
        success=lambda base: reverse(DETAIL, args=[base.pk]),
        message=_("Base registered."),
        fallback=reverse("bases:base_list"),
    )
    return done or form_page(request, "bases/base_form.html", form, {"base": None})


@permission_required("bases.base.change")
def base_update(request, pk):
    base = get_base_for_user(request.user, pk, "change")
    form = BaseEditForm(request.POST or None, instance=Base.objects.get(pk=base.pk))
    done = submit_form(
        request,
        form,
        lambda: services.change_base(base, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(request, "bases/base_form.html", form, {"base": base})
