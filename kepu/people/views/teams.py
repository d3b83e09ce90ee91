"""Volunteer teams (issue 26): the list with filters, capped counts and export; the team
page with its hierarchy, honours and certification steps; applying as a team's leader;
team honours; designated service groups (seed 003 (十六))."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope, workflow
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.pagination import capped_count
from kepu.core.scope import has_permission, visible_to
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
from kepu.people import team_services as ts
from kepu.people.filters import FILTERED_COUNT_CAP, ServiceGroupFilter, TeamFilter, TeamHonourFilter
from kepu.people.forms import TeamForm
from kepu.people.models import ServiceGroup, Team, TeamHonour, TeamMembership
from kepu.people.permissions import get_servicegroup_for_user, get_team_for_user
from kepu.people.team_forms import (
    ServiceGroupForm,
    TeamApplyForm,
    TeamHonourForm,
    TeamReasonForm,
    team_by_name,
)

SUB_TEAMS_SHOWN = 50


def _prefix(name: str) -> str:
    return reverse(name, args=[0]).removesuffix("0/")


def _team_filter(request):
    queryset = visible_to(request.user, Team.objects.with_relations())
    filterset = TeamFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Team, "view", required=False)
    return filterset


@permission_required("people.team.view")
def team_list(request):
    user = request.user
    filterset = _team_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else Team.objects.none()
    can_create = has_permission(user, "people.team.create")
    if request.method == "POST" and not can_create:
        raise PermissionDenied
    form = TeamForm(request.POST or None, user=user) if can_create else None
    context = {
        "filter": filterset,
        "page": paginate(
            request, rows, count=lambda: capped_count(rows.order_by(), FILTERED_COUNT_CAP)
        ),
        "query": query_without_page(request),
        "detail_prefix": _prefix("people:team_detail"),
        "can_export": has_permission(user, "people.team.export"),
        "can_apply": has_permission(user, "people.team.apply"),
    }
    if form is None:
        return render(request, "people/team_list.html", {**context, "form": None})

    def create():
        data = {k: form.cleaned_data[k] for k in ("name", "region", "specialties")}
        return ts.file_team(
            actor=user,
            organization=form.cleaned_data["organization_ref"],
            parent=form.cleaned_data["parent_ref"],
            **data,
        )

    response = submit_form(
        request,
        form,
        create,
        success=lambda team: reverse("people:team_detail", args=[team.pk]),
        message=lambda team: (
            _("Team “%(name)s” filed; another officer certifies it.") % {"name": team}
        ),
        fallback=reverse("people:team_list"),
    )
    return response or form_page(request, "people/team_list.html", form, context)


@exports.builder("people.team", permission="people.team.export", back="people:team_list")
def team_export_rows(request):
    filterset = _team_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").select_related("parent"),
        action="people.team.exported",
        title=_("Volunteer teams"),
        columns=[
            Column("name", _("Name"), width=24),
            Column("status", _("Status")),
            Column("region", _("Region")),
            Column("organization", _("Organization"), width=24),
            Column("parent", _("Parent team"), width=24),
            Column("sub_teams", _("Sub-teams")),
            Column("members", _("Members")),
            Column("certified", _("Certified at")),
        ],
        to_values=lambda t: [
            t.name,
            str(t.get_status_display()),
            t.region.name,
            t.organization.name if t.organization else "",
            t.parent.name if t.parent else "",
            t.sub_team_count,
            t.member_count,
            t.certified_at.date().isoformat() if t.certified_at else "",
        ],
        basename="volunteer-teams",
    )


@require_safe
@permission_required("people.team.export")
def team_export(request):
    return export_list(request, "people.team")


@require_safe
@permission_required("people.team.view")
def team_detail(request, pk):
    user = request.user
    team = get_team_for_user(user, pk)
    members = visible_to(user, TeamMembership.objects.filter(team=team).select_related("person"))
    sub_teams = visible_to(user, team.sub_teams.select_related("region"))[:SUB_TEAMS_SHOWN]
    chain, parent = [], team.parent
    while parent is not None and len(chain) < 5:  # the path up to the top team
        chain.insert(0, parent)
        parent = parent.parent
    steps = {
        "certify": team.can_certify() and scope.can(user, team, "certify"),
        "suspend": team.can_suspend() and scope.can(user, team, "change"),
        "reinstate": team.can_reinstate() and scope.can(user, team, "change"),
        "dissolve": team.can_dissolve() and scope.can(user, team, "change"),
        "move": team.can_move() and scope.can(user, team, "change"),
    }
    return render(
        request,
        "people/team_detail.html",
        {
            "team": team,
            "members": members,
            "chain": chain,
            "sub_teams": sub_teams,
            "honours": visible_to(user, team.honours.all()),
            "steps": steps,
            "held_back": team.can_certify() and workflow.held_back(user, team, "certify"),
            "reason_form": TeamReasonForm(),
            "honour_form": TeamHonourForm()
            if team.status != "pending"
            and team.status != "rejected"
            and scope.can(user, team, "change")
            else None,
        },
    )


def _reason(data) -> str:
    return data.get("reason", "")


def _parent(user, data):
    """The new parent named in the form (its exact name), None for the top level."""
    return team_by_name(user, data.get("parent", ""))


# step: (the action it needs, the service call with the team, the user and the POST data)
STEPS = {
    "certify": ("certify", lambda t, u, d: ts.certify_team(t, actor=u)),
    "reject": ("certify", lambda t, u, d: ts.reject_team(t, actor=u, reason=_reason(d))),
    "suspend": ("change", lambda t, u, d: ts.suspend_team(t, actor=u, reason=_reason(d))),
    "reinstate": ("change", lambda t, u, d: ts.reinstate_team(t, actor=u)),
    "dissolve": ("change", lambda t, u, d: ts.dissolve_team(t, actor=u, reason=_reason(d))),
    "move": ("change", lambda t, u, d: ts.move_team(t, actor=u, parent=_parent(u, d))),
}
STEP_MESSAGES = {
    "certify": gettext_lazy("The team is certified."),
    "reject": gettext_lazy("Certification was refused."),
    "suspend": gettext_lazy("The team is suspended."),
    "reinstate": gettext_lazy("The team is active again."),
    "dissolve": gettext_lazy("The team is dissolved."),
    "move": gettext_lazy("The team has been moved."),
}


@require_POST
@permission_required("people.team.view")
def team_step(request, pk, step):
    from django.http import Http404

    if step not in STEPS:
        raise Http404
    action, run = STEPS[step]
    scope.require(request.user, f"people.team.{action}")
    team = get_team_for_user(request.user, pk, action)
    return run_step(
        request,
        lambda: run(team, request.user, request.POST),
        back=reverse("people:team_detail", args=[team.pk]),
        message=str(STEP_MESSAGES[step]),
    )


@require_POST
@permission_required("people.teamhonour.create")
def team_honour_add(request, pk):
    team = get_team_for_user(request.user, pk, "change")
    form = TeamHonourForm(request.POST)
    back = reverse("people:team_detail", args=[team.pk])
    return submit_form(
        request,
        form,
        lambda: ts.add_team_honour(team, actor=request.user, **form.cleaned_data),
        success=back,
        message=_("Honour recorded."),
    ) or form_page(request, "people/team_honour_form.html", form, {"team": team})


@permission_required("people.team.apply")
def team_apply(request):
    """The leader's page: apply for a team's certification and follow the applications."""
    user = request.user
    form = TeamApplyForm(request.POST or None, user=user)
    own = visible_to(user, Team.objects.filter(leader__user=user).select_related("region"))
    response = submit_form(
        request,
        form,
        lambda: ts.apply_team(
            actor=user,
            name=form.cleaned_data["name"],
            specialties=form.cleaned_data["specialties"],
            organization=form.cleaned_data["organization_ref"],
        ),
        success=reverse("people:team_apply"),
        message=_("Application sent; the region will certify your team."),
    )
    return response or form_page(
        request,
        "people/team_apply.html",
        form,
        {"teams": own[:20], "detail_prefix": _prefix("people:team_detail")},
    )


# --- honours ----------------------------------------------------------------------------


def _honour_filter(request):
    queryset = visible_to(request.user, TeamHonour.objects.select_related("team", "team__region"))
    filterset = TeamHonourFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, TeamHonour, "view", required=False)
    return filterset


@require_safe
@permission_required("people.teamhonour.view")
def honour_list(request):
    filterset = _honour_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else TeamHonour.objects.none()
    return render(
        request,
        "people/team_honour_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "team_prefix": _prefix("people:team_detail"),
            "can_export": has_permission(request.user, "people.teamhonour.export"),
        },
    )


@exports.builder(
    "people.teamhonour", permission="people.teamhonour.export", back="people:team_honour_list"
)
def honour_export_rows(request):
    filterset = _honour_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export"),
        action="people.teamhonour.exported",
        title=_("Team honours"),
        columns=[
            Column("year", _("Year")),
            Column("team", _("Team"), width=24),
            Column("region", _("Region")),
            Column("honour", _("Honour"), width=24),
            Column("title", _("Title as awarded"), width=24),
            Column("awarded_by", _("Awarded by"), width=24),
        ],
        to_values=lambda h: [
            h.year,
            h.team.name,
            h.team.region.name,
            str(h.get_honour_display()),
            h.title,
            h.awarded_by,
        ],
        basename="team-honours",
    )


@require_safe
@permission_required("people.teamhonour.export")
def honour_export(request):
    return export_list(request, "people.teamhonour")


# --- designated service groups -------------------------------------------------------------


def _group_filter(request):
    queryset = visible_to(request.user, ServiceGroup.objects.with_relations())
    filterset = ServiceGroupFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["county"] = region_field(
        request.user, ServiceGroup, "view", required=False, label=_("Serving the region")
    )
    return filterset


@require_safe
@permission_required("people.servicegroup.view")
def group_list(request):
    filterset = _group_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else ServiceGroup.objects.none()
    return render(
        request,
        "people/group_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "detail_prefix": _prefix("people:group_detail"),
            "team_prefix": _prefix("people:team_detail"),
            "can_create": has_permission(request.user, "people.servicegroup.create"),
            "can_export": has_permission(request.user, "people.servicegroup.export"),
        },
    )


@permission_required("people.servicegroup.create")
def group_create(request):
    form = ServiceGroupForm(request.POST or None, user=request.user)

    def create():
        data = form.cleaned_data
        return ts.create_service_group(
            actor=request.user,
            counties=data["counties"],
            lead_team=data["lead_team_ref"],
            lead_organization=data["lead_organization_ref"],
            **{k: data[k] for k in ("name", "region", "period_start", "period_end", "description")},
        )

    response = submit_form(
        request,
        form,
        create,
        success=lambda group: reverse("people:group_detail", args=[group.pk]),
        message=lambda group: _("Service group “%(name)s” set up.") % {"name": group},
    )
    return response or form_page(request, "people/group_form.html", form)


@require_safe
@permission_required("people.servicegroup.view")
def group_detail(request, pk):
    group = get_servicegroup_for_user(request.user, pk)
    return render(request, "people/group_detail.html", {"group": group})


@exports.builder(
    "people.servicegroup", permission="people.servicegroup.export", back="people:group_list"
)
def group_export_rows(request):
    filterset = _group_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export"),
        action="people.servicegroup.exported",
        title=_("Designated service groups"),
        columns=[
            Column("name", _("Name"), width=24),
            Column("region", _("Organized by")),
            Column("lead", _("Led by"), width=24),
            Column("counties", _("Counties served"), width=40),
            Column("from", _("Period from")),
            Column("to", _("Period to")),
        ],
        to_values=lambda g: [
            g.name,
            g.region.name,
            str(g.lead_team or g.lead_organization or ""),
            "、".join(r.name for r in g.counties.all()),
            g.period_start.isoformat(),
            g.period_end.isoformat(),
        ],
        basename="service-groups",
    )


@require_safe
@permission_required("people.servicegroup.export")
def group_export(request):
    return export_list(request, "people.servicegroup")
