from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import exports, services
from kepu.core.filters import OrganizationFilter
from kepu.core.forms import OrganizationForm, region_field
from kepu.core.models import Organization
from kepu.core.organizations_io import organization_export_columns, organization_export_values
from kepu.core.permissions import get_organization_for_user
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


def _filtered(request):
    queryset = visible_to(request.user, Organization.objects.with_relations().in_list_order())
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
            # The rows' links: one reverse for the page, not one per row.
            "detail_prefix": reverse("core:organization_detail", args=[0]).removesuffix("0/"),
            "can_create": has_permission(user, "core.organization.create"),
            "can_import": has_permission(user, "core.organization.import"),
            "can_export": has_permission(user, "core.organization.export"),
        },
    )


@exports.builder(
    "core.organization", permission="core.organization.export", back="core:organization_list"
)
def organization_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("region__code", "pk"),
        action="core.organization.exported",
        title=_("Organizations"),
        columns=organization_export_columns(),
        to_values=organization_export_values,
        basename="organizations",
    )


@require_safe
@permission_required("core.organization.export")
def organization_export(request):
    return export_list(request, "core.organization")


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


@permission_required("core.organization.create")
def organization_create(request):
    form = OrganizationForm(request.POST or None, user=request.user, action="create")
    done = submit_form(
        request,
        form,
        lambda: services.create_organization(actor=request.user, **form.service_fields()),
        success=lambda org: reverse("core:organization_detail", args=[org.pk]),
        message=lambda org: _("Organization “%(name)s” created.") % {"name": org},
        fallback="core:organization_list",
    )
    return done or form_page(request, "core/organization_form.html", form)


@permission_required("core.organization.change")
def organization_update(request, pk):
    organization = get_organization_for_user(request.user, pk, "change")
    form = OrganizationForm(
        request.POST or None, instance=organization, user=request.user, action="change"
    )
    done = submit_form(
        request,
        form,
        lambda: services.update_organization(
            organization, actor=request.user, **form.service_fields()
        ),
        success=reverse("core:organization_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(
        request, "core/organization_form.html", form, {"organization": organization}
    )
