"""Back-office pages of incidents: the list with filters and its Excel export, activation
(the expert group is proposed at once), the overview with the group roster and the duty
schedule, edit, close with the lessons learned."""

from django.contrib import messages
from django.db.models import Min, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import exports, scope
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
from kepu.emergency import choices as c
from kepu.emergency.filters.incidents import IncidentFilter
from kepu.emergency.forms.incidents import (
    AnswerForm,
    CloseForm,
    IncidentForm,
    IncidentUpdateForm,
    InviteForm,
)
from kepu.emergency.models import DutyShift, GroupMember, Incident, IncidentRegion
from kepu.emergency.permissions import get_incident_for_user
from kepu.emergency.services import incidents as services
from kepu.emergency.services.group import describe_reasons

DETAIL = "emergency:incident_detail"
STATUS_BADGES = {
    c.IncidentStatus.ACTIVATED: "bg-red-lt",
    c.IncidentStatus.RESPONDING: "bg-orange-lt",
    c.IncidentStatus.CLOSED: "bg-secondary-lt",
}
MEMBER_BADGES = {
    c.MemberStatus.PROPOSED: "bg-blue-lt",
    c.MemberStatus.INVITED: "bg-yellow-lt",
    c.MemberStatus.ACCEPTED: "bg-green-lt",
    c.MemberStatus.DECLINED: "bg-red-lt",
    c.MemberStatus.WITHDRAWN: "bg-secondary-lt",
}


# The roster's own words for the member states: the catalog's "Proposed" and "Accepted"
# already mean other things elsewhere (a changed value, an approved review).
def member_label(status: str) -> str:
    return {
        c.MemberStatus.PROPOSED: _("Proposed, to confirm"),
        c.MemberStatus.INVITED: _("Invited, no answer yet"),
        c.MemberStatus.ACCEPTED: _("Accepted the invitation"),
        c.MemberStatus.DECLINED: _("Declined the invitation"),
        c.MemberStatus.WITHDRAWN: _("Withdrawn from the group"),
    }.get(status, status)


def _with_affected(queryset):
    return queryset.prefetch_related(
        Prefetch("affected", queryset=IncidentRegion.objects.select_related("region"))
    )


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Incident.objects.with_relations(),
        public=False,
    )
    filterset = IncidentFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Incident, "view", required=False)
    return filterset


@require_safe
@permission_required("emergency.incident.view")
def incident_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Incident.objects.none()
    page = paginate(request, _with_affected(queryset.newest_first()))
    for incident in page:
        incident.badge = STATUS_BADGES.get(incident.status, "bg-blue-lt")
    user = request.user
    return render(
        request,
        "emergency/incident_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            # Counties take part but do not activate (the level rule): no button for them.
            "can_create": has_permission(user, "emergency.incident.create")
            and any(r.level in c.ACTIVATING_LEVELS[c.Level.IV] for r in scope.scope_roots(user)),
            "can_export": has_permission(user, "emergency.incident.export"),
        },
    )


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _columns():
    return [
        Column("title", _("Title"), width=36),
        Column("hazard", _("Hazard"), width=14),
        Column("level", _("Level"), width=20),
        Column("region", _("Responsible region"), width=16),
        Column("affected", _("Affected regions"), width=36),
        Column("status", _("Status"), width=12),
        Column("drill", _("Drill"), width=8),
        Column("started_at", _("Started at")),
        Column("activated_at", _("Activated at")),
        Column("responding_at", _("Responding since")),
        Column("closed_at", _("Closed at")),
    ]


def _values(incident: Incident) -> list:
    return [
        incident.title,
        incident.get_hazard_display(),
        incident.get_level_display(),
        incident.region.name,
        _(", ").join(a.region.name for a in incident.affected.all()),
        incident.get_status_display(),
        _("Yes") if incident.is_drill else _("No"),
        _local(incident.started_at),
        _local(incident.activated_at),
        _local(incident.responding_at),
        _local(incident.closed_at),
    ]


@exports.builder(
    "emergency.incident", permission="emergency.incident.export", back="emergency:incident_list"
)
def incident_export_rows(request):
    filterset = _filtered(request, Incident.objects.select_related("region"))
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=_with_affected(queryset.newest_first()),
        action="emergency.incident.exported",
        title=_("Incidents"),
        columns=_columns(),
        to_values=_values,
        basename="incidents",
    )


@require_safe
@permission_required("emergency.incident.export")
def incident_export(request):
    return export_list(request, "emergency.incident")


@permission_required("emergency.incident.create")
def incident_create(request):
    form = IncidentForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.activate_incident(actor=request.user, **form.service_fields()),
        success=lambda incident: reverse(DETAIL, args=[incident.pk]),
        message=_("Emergency response activated. Confirm the proposed experts below."),
        fallback=reverse("emergency:incident_list"),
    )
    return done or form_page(request, "emergency/incident_form.html", form, {"incident": None})


@permission_required("emergency.incident.change")
def incident_update(request, pk):
    incident = get_incident_for_user(request.user, pk, "change")
    if not incident.can_change():
        messages.error(request, _("A closed incident can no longer be edited."))
        return redirect(DETAIL, pk=pk)
    form = IncidentUpdateForm(request.POST or None, user=request.user, incident=incident)
    done = submit_form(
        request,
        form,
        lambda: services.update_incident(incident, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(request, "emergency/incident_form.html", form, {"incident": incident})


@permission_required("emergency.incident.close")
def incident_close(request, pk):
    incident = get_incident_for_user(request.user, pk, "close")
    if not incident.can_close():
        messages.error(request, _("This incident is already closed."))
        return redirect(DETAIL, pk=pk)
    form = CloseForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.close_incident(
            incident, actor=request.user, lessons=form.cleaned_data["lessons"]
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Incident closed."),
    )
    return done or form_page(request, "emergency/incident_close.html", form, {"incident": incident})


def detail_context(request, incident, **extra) -> dict:
    """The overview tab: situation, affected regions, timeline, the group and its duty."""
    user = request.user
    members = list(
        GroupMember.objects.filter(incident=incident)
        .select_related("person", "person__region", "pool", "replaces__person")
        .order_by("rank", "pk")
    )
    for member in members:
        member.badge = MEMBER_BADGES.get(member.status, "bg-blue-lt")
        member.status_label = member_label(member.status)
        member.reason_list = describe_reasons(member.reasons)
    shifts = list(
        DutyShift.objects.filter(member__incident=incident)
        .select_related("member__person")
        .order_by("starts_at", "pk")
    )
    first_acceptance = GroupMember.objects.filter(
        incident=incident, status=c.MemberStatus.ACCEPTED
    ).aggregate(at=Min("responded_at"))["at"]
    counts = {status: 0 for status in c.MemberStatus.values}
    for member in members:
        counts[member.status] += 1
    manage = incident.is_open and scope.can(user, incident, "change")
    group_perm = manage and has_permission(user, "emergency.groupmember.invite")
    proposed = [m for m in members if m.status == c.MemberStatus.PROPOSED]
    context = {
        "incident": incident,
        "badge": STATUS_BADGES.get(incident.status, "bg-blue-lt"),
        "affected": incident.affected.select_related("region").order_by("region__code"),
        "members": members,
        "proposed": proposed,
        "counts": counts,
        "shifts": shifts,
        "first_acceptance": first_acceptance,
        "minutes_to_acceptance": (
            int((first_acceptance - incident.activated_at).total_seconds() // 60)
            if first_acceptance
            else None
        ),
        "can_edit": manage,
        "can_close": incident.can_close() and scope.can(user, incident, "close"),
        "can_invite": group_perm and bool(proposed),
        "can_propose": group_perm,
        "can_manage_group": group_perm,
        "invite_form": InviteForm(incident=incident),
        "answer_form": AnswerForm(),
    }
    context.update(extra)
    return context


@require_safe
@permission_required("emergency.incident.view")
def incident_detail(request, pk):
    incident = get_incident_for_user(request.user, pk)
    return render(request, "emergency/incident_detail.html", detail_context(request, incident))
