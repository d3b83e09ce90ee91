"""Pages of funded projects: the list (filters, flags, Excel export), the project's page
(amounts, budget, milestones, targets, checks, payments, outputs), create (from an
awarded entry or blank), edit, and the statistics by region and year (from rollups)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import clock, exports, scope
from kepu.core.excel import Column
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
from kepu.core.workflow import held_back
from kepu.selections import choices as c
from kepu.selections import stats_projects
from kepu.selections.filters.projects import ProjectFilter
from kepu.selections.flags import with_flags
from kepu.selections.forms.projects import ProjectForm
from kepu.selections.models import Project
from kepu.selections.permissions import get_entry_for_user, get_project_for_user
from kepu.selections.services import projects as services

P = "selections.project"
DETAIL = "selections:project_detail"
S = c.ProjectStatus
BADGES = {
    S.APPROVED: "bg-secondary-lt",
    S.CONTRACTED: "bg-blue-lt",
    S.ACCEPTANCE: "bg-yellow-lt",
    S.ACCEPTED: "bg-green-lt",
    S.FAILED: "bg-red-lt",
    S.TERMINATED: "bg-dark-lt",
}


def _filtered(request, action="view"):
    queryset = visible_to(request.user, Project.objects.for_list(), action)
    filterset = ProjectFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Project, "view", required=False)
    return filterset


@require_safe
@permission_required(f"{P}.view")
def project_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Project.objects.none()
    page = paginate(request, with_flags(queryset.order_by("-year", "-pk")))
    for project in page:
        project.badge = BADGES.get(project.status, "")
    return render(
        request,
        "selections/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(request.user, f"{P}.create"),
            "can_export": has_permission(request.user, f"{P}.export"),
        },
    )


@exports.builder("selections.project", permission=f"{P}.export", back="selections:project_list")
def project_list_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export")
    return exports.Rows(
        queryset=with_flags(queryset.order_by("-year", "-pk")),
        action="selections.project.exported",
        title=_("Funded projects"),
        columns=[
            Column("number", _("Project number"), width=14),
            Column("title", _("Title"), width=36),
            Column("organization", _("Undertaking unit"), width=28),
            Column("region", _("Region"), width=14),
            Column("year", _("Year"), text=False, width=8),
            Column("type", _("Project type"), width=16),
            Column("level", _("Level"), width=10),
            Column("mode", _("Funding mode"), width=16),
            Column("approved", _("Approved amount (yuan)"), text=False, width=16),
            Column("disbursed", _("Disbursed (yuan)"), text=False, width=16),
            Column("remaining", _("Remaining (yuan)"), text=False, width=16),
            Column("status", _("Status"), width=12),
            Column("next_due", _("Next due"), width=12),
            Column("flags", _("Flags"), width=16),
        ],
        to_values=lambda p: [
            p.number,
            p.title,
            p.organization.name,
            p.region.name,
            p.year,
            p.get_project_type_display(),
            p.get_level_display(),
            p.get_funding_mode_display(),
            float(p.approved_amount),  # numbers in the sheet (sums work), two decimals
            float(p.disbursed),
            float(p.approved_amount - p.disbursed),
            p.get_status_display(),
            p.next_due.isoformat() if p.next_due else "",
            "、".join(
                str(x)
                for x, on in ((_("Overdue"), p.flag_overdue), (_("At risk"), p.flag_at_risk))
                if on
            ),
        ],
        basename="funded-projects",
    )


@require_safe
@permission_required(f"{P}.export")
def project_list_export(request):
    return export_list(request, "selections.project")


def _entry_defaults(request):
    """The awarded entry a new project comes from (`?entry=<pk>`), or None."""
    pk = request.GET.get("entry") or request.POST.get("entry")
    if not pk:
        return None
    entry = get_entry_for_user(request.user, pk)
    if entry.call.kind != c.CallKind.PROJECT or entry.status != c.EntryStatus.AWARDED:
        raise Http404
    return entry


@permission_required(f"{P}.create")
def project_create(request):
    entry = _entry_defaults(request)
    initial = {"year": clock.today().year, "funding_mode": c.FundingMode.AFTER}
    if entry is not None:
        org = entry.organization
        initial.update(
            title=entry.title,
            year=entry.call.year,
            approved_amount=entry.amount_requested,
            summary=entry.summary,
            organization=(org.credit_code or org.name) if org else "",
        )
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    done = submit_form(
        request,
        form,
        lambda: services.create_project(actor=request.user, entry=entry, **form.service_fields()),
        success=lambda project: reverse(DETAIL, args=[project.pk]),
        message=_("Project entered."),
    )
    return done or form_page(
        request, "selections/project_form.html", form, {"entry": entry, "project": None}
    )


@permission_required(f"{P}.change")
def project_edit(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = ProjectForm(request.POST or None, user=request.user, project=project)
    done = submit_form(
        request,
        form,
        lambda: services.change_project(project, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Project saved."),
    )
    return done or form_page(
        request, "selections/project_form.html", form, {"project": project, "entry": None}
    )


def detail_context(user, project) -> dict:
    """What the project's page shows (its parts are read once each)."""
    today = clock.today()
    milestones = list(project.milestones.all())
    for m in milestones:
        m.overdue = m.done_on is None and m.due_on < today and project.is_open()
    budget = list(project.budget.all())
    approved = project.approved_amount
    share = int(project.disbursed * 100 / approved) if approved else 0
    flagged = with_flags(Project.objects.filter(pk=project.pk)).values(
        "flag_overdue", "flag_at_risk"
    )[0]
    return {
        "project": project,
        "badge": BADGES.get(project.status, ""),
        "remaining": project.remaining(),
        "paid_share": share,
        "overdue": flagged["flag_overdue"],
        "at_risk": flagged["flag_at_risk"],
        "budget": budget,
        "budget_total": sum((b.amount for b in budget), Decimal(0)),
        "milestones": milestones,
        "targets": list(project.targets.all()),
        "checks": list(project.checks.select_related("checked_by")),
        "payments": list(project.disbursements.select_related("recorded_by")),
        "outputs": list(project.outputs.select_related("activity", "resource")),
        "can_change": project.is_open() and scope.can(user, project, "change"),
        "can_report": scope.can(user, project, "report"),
        "can_check": project.status in (S.CONTRACTED, S.ACCEPTANCE)
        and scope.can(user, project, "check"),
        "can_disburse": project.status in services.PAYABLE[project.funding_mode]
        and project.remaining() > 0
        and scope.can(user, project, "disburse"),
        "held_back": held_back(user, project, "disburse"),
    }


@require_safe
@permission_required(f"{P}.view")
def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    return render(request, "selections/project_detail.html", detail_context(request.user, project))


@require_safe
@permission_required(f"{P}.view")
def project_stats(request):
    # Region-scoped roles only: the counters are by region (member-unit staff have none).
    roots = scope.scope_roots(request.user)
    if not roots:
        raise PermissionDenied
    focus = roots[0]
    code = request.GET.get("region")
    if code:
        chosen = scope.allowed_regions(request.user, Project, "view").filter(code=code).first()
        if chosen is None:
            raise Http404
        focus = chosen
    years = stats_projects.by_child_and_year(focus)
    up = focus.parent if focus.pk not in {r.pk for r in roots} else None
    return render(
        request, "selections/project_stats.html", {"focus": focus, "years": years, "up": up}
    )
