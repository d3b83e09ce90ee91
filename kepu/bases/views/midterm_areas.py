"""Pages of demonstration areas: the list with filters and its export, a new area in its
creation cycle, an area with its mid-term evaluations, and its self-assessment in a
round (the officers of the area's region fill it in)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases import choices as c
from kepu.bases.filters.midterm import AreaFilter
from kepu.bases.forms.midterm import AreaForm, SelfAssessmentForm
from kepu.bases.models import DemonstrationArea, MidtermEntry
from kepu.bases.services import midterm as services
from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import get_for_user, has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)

AREA_BADGES = {
    c.AreaStatus.CREATING: "bg-blue-lt",
    c.AreaStatus.MIDTERM_PASSED: "bg-green-lt",
    c.AreaStatus.MIDTERM_FAILED: "bg-red-lt",
    c.AreaStatus.NAMED: "bg-green",
    c.AreaStatus.NOT_NAMED: "bg-secondary-lt",
}


def get_area_for_user(user, pk, action="view") -> DemonstrationArea:
    return get_for_user(DemonstrationArea.objects.with_relations(), user, pk, action)


def get_entry_for_user(user, pk, action="view") -> MidtermEntry:
    return get_for_user(MidtermEntry.objects.with_relations(), user, pk, action)


def _filtered(request):
    queryset = visible_to(request.user, DemonstrationArea.objects.with_relations())
    filterset = AreaFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, DemonstrationArea, "view", required=False
    )
    return filterset


@require_safe
@permission_required("bases.demonstrationarea.view")
def area_list(request):
    filterset = _filtered(request)
    qs = filterset.qs if filter_is_usable(filterset) else DemonstrationArea.objects.none()
    page = paginate(request, qs.order_by("-cycle_start", "region__code", "pk"))
    for area in page:
        area.badge = AREA_BADGES.get(area.status, "bg-blue-lt")
    return render(
        request,
        "bases/area_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "bases.demonstrationarea.create"),
            "can_export": has_permission(request.user, "bases.demonstrationarea.export"),
        },
    )


@exports.builder(
    "bases.demonstrationarea", permission="bases.demonstrationarea.export", back="bases:area_list"
)
def area_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export")
    return exports.Rows(
        queryset=queryset.order_by("-cycle_start", "region__code", "pk"),
        action="bases.demonstrationarea.exported",
        title=_("Demonstration areas"),
        columns=[
            Column("name", _("Name"), width=30),
            Column("kind", _("Kind"), width=24),
            Column("region", _("Region"), width=14),
            Column("organization", _("Organizing unit"), width=30),
            Column("cycle", _("Creation cycle"), width=12),
            Column("status", _("Status"), width=20),
        ],
        to_values=lambda a: [
            a.name,
            a.get_kind_display(),
            a.region.name,
            a.organization.name,
            f"{a.cycle_start}–{a.cycle_end}",
            a.get_status_display(),
        ],
        basename="demonstration-areas",
    )


@require_safe
@permission_required("bases.demonstrationarea.export")
def area_export(request):
    return export_list(request, "bases.demonstrationarea")


@permission_required("bases.demonstrationarea.create")
def area_create(request):
    form = AreaForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_area(actor=request.user, **form.cleaned_data),
        success=lambda area: reverse("bases:area_detail", args=[area.pk]),
        message=_("Demonstration area registered."),
        fallback=reverse("bases:area_list"),
    )
    return done or form_page(request, "bases/area_form.html", form)


@require_safe
@permission_required("bases.demonstrationarea.view")
def area_detail(request, pk):
    area = get_area_for_user(request.user, pk)
    entries = list(
        visible_to(request.user, MidtermEntry.objects.with_relations())
        .filter(area=area)
        .order_by("-evaluation__year", "-pk")
    )
    for entry in entries:
        entry.can_fill = entry.can_self_assess() and scope.can(request.user, entry, "change")
        entry.round_visible = scope.can(request.user, entry.evaluation, "view")
    can_conclude = area.can_conclude() and scope.can(request.user, area, "conclude")
    return render(
        request,
        "bases/area_detail.html",
        {
            "area": area,
            "badge": AREA_BADGES.get(area.status),
            "entries": entries,
            "can_conclude": can_conclude,
        },
    )


@require_POST
@permission_required("bases.demonstrationarea.conclude")
def area_conclude(request, pk):
    """Name the area at the end of its cycle (`named=1`), or record it was not named."""
    area = get_area_for_user(request.user, pk, "conclude")
    named = request.POST.get("named") == "1"
    return run_step(
        request,
        lambda: services.conclude_area(area, actor=request.user, named=named),
        back=reverse("bases:area_detail", args=[pk]),
        message=_("Area named.") if named else _("Recorded: not named."),
    )


@permission_required("bases.midtermentry.change")
def entry_self_assess(request, pk):
    entry = get_entry_for_user(request.user, pk, "change")
    criteria = list(entry.evaluation.rubric.criteria.order_by("position", "pk"))
    form = SelfAssessmentForm(request.POST or None, criteria=criteria, values=entry.values)
    done = submit_form(
        request,
        form,
        lambda: services.save_self_assessment(entry, actor=request.user, values=form.cleaned_data),
        success=reverse("bases:area_detail", args=[entry.area_id]),
        message=_("Self-assessment saved."),
    )
    return done or form_page(
        request,
        "bases/entry_self_assess.html",
        form,
        {"entry": entry, "scoring": entry.can_self_assess()},
    )
