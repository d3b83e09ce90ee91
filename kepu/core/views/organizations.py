from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import idempotency, services
from kepu.core.filters import OrganizationFilter
from kepu.core.forms import OrganizationForm, region_field
from kepu.core.models import Organization
from kepu.core.organizations_io import organization_export_columns, organization_export_values
from kepu.core.permissions import get_organization_for_user
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    add_errors,
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
)


def _filtered(request):
    queryset = visible_to(request.user, Organization.objects.with_relations())
    filterset = OrganizationFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, Organization, "view", required=False
    )
    return filterset


@require_safe
@permission_required("core.organization.view")
def organization_list(request):
    filterset = _filtered(request)
    # An invalid filter (e.g. a region outside the scope) shows nothing, with its error.
    page = paginate(
        request, filterset.qs if filter_is_usable(filterset) else Organization.objects.none()
    )
    user = request.user
    return render(
        request,
        "core/organization_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(user, "core.organization.create"),
            "can_import": has_permission(user, "core.organization.import"),
            "can_export": has_permission(user, "core.organization.export"),
        },
    )


@require_safe
@permission_required("core.organization.export")
def organization_export(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return redirect(f"{reverse('core:organization_list')}?{request.GET.urlencode()}")
    return export_list(
        request,
        queryset=visible_to(request.user, filterset.qs, "export").order_by("region__code", "pk"),
        action="core.organization.exported",
        title=_("Organizations"),
        columns=organization_export_columns(),
        to_values=organization_export_values,
        basename="organizations",
    )


@require_safe
@permission_required("core.organization.view")
def organization_detail(request, pk):
    organization = get_organization_for_user(request.user, pk)
    children = visible_to(request.user, organization.children.select_related("region"))
    return render(
        request,
        "core/organization_detail.html",
        {
            "organization": organization,
            "children": children[:50],
            "can_change": visible_to(request.user, Organization, "change").filter(pk=pk).exists(),
        },
    )


def _save(request, form, organization=None):
    try:
        if organization is None:
            return services.create_organization(actor=request.user, **form.service_fields())
        return services.update_organization(
            organization, actor=request.user, **form.service_fields()
        )
    except ValidationError as exc:
        add_errors(form, exc)
    return None


@permission_required("core.organization.create")
def organization_create(request):
    form = OrganizationForm(request.POST or None, user=request.user, action="create")
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or "core:organization_list")
        organization = _save(request, form)
        if organization is not None:
            url = reverse("core:organization_detail", args=[organization.pk])
            idempotency.remember(request, url)
            messages.success(
                request, _("Organization “%(name)s” created.") % {"name": organization}
            )
            return redirect(url)
        idempotency.release(request)
    return render(
        request,
        "core/organization_form.html",
        {"form": form, "form_token": idempotency.new_token()},
    )


@permission_required("core.organization.change")
def organization_update(request, pk):
    organization = get_organization_for_user(request.user, pk, "change")
    form = OrganizationForm(
        request.POST or None, instance=organization, user=request.user, action="change"
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, get_organization_for_user(request.user, pk, "change"))
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("core:organization_detail", pk=pk)
    return render(
        request, "core/organization_form.html", {"form": form, "organization": organization}
    )
