"""Joint-conference pages (seeds 004 (21), 003 (四)): conferences and their members,
meetings (list, page, form), decisions that assign plan tasks, minutes, and a member
unit's page listing its decisions and tasks."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Organization
from kepu.core.pagination import capped_count
from kepu.core.scope import has_permission, visible_to
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.plans import services
from kepu.plans.filters import MeetingFilter
from kepu.plans.meeting_forms import (
    ConferenceForm,
    DecisionForm,
    DecisionTextForm,
    MeetingForm,
    MinutesForm,
)
from kepu.plans.models import JointConference, Meeting, MeetingDecision, Task
from kepu.plans.permissions import get_conference_for_user, get_meeting_for_user, own_units

FILTERED_COUNT_CAP = 1_000


def _prefix(name: str) -> str:
    return reverse(name, args=[0]).removesuffix("0/")


@permission_required("plans.jointconference.view")
def conference_list(request):
    user = request.user
    can_create = has_permission(user, "plans.jointconference.create")
    if request.method == "POST" and not can_create:
        raise PermissionDenied
    form = ConferenceForm(request.POST or None, user=user) if can_create else None
    rows = visible_to(user, JointConference.objects.select_related("region"))
    context = {"page": paginate(request, rows), "detail_prefix": _prefix("plans:conference_detail")}
    if form is None:
        return render(request, "plans/conference_list.html", {**context, "form": None})
    response = submit_form(
        request,
        form,
        lambda: services.create_conference(
            actor=user,
            name=form.cleaned_data["name"],
            region=form.cleaned_data["region"],
            office=form.cleaned_data["office"],
            members=form.cleaned_data.get("members", []),
        ),
        success=lambda conf: reverse("plans:conference_detail", args=[conf.pk]),
        message=lambda conf: _("Joint conference “%(name)s” set up.") % {"name": conf},
        fallback=reverse("plans:conference_list"),
    )
    return response or form_page(request, "plans/conference_list.html", form, context)


@require_safe
@permission_required("plans.jointconference.view")
def conference_detail(request, pk):
    user = request.user
    conference = get_conference_for_user(user, pk)
    members = conference.memberships.select_related("organization")
    meetings = visible_to(user, conference.meetings.all())[:20]
    return render(
        request,
        "plans/conference_detail.html",
        {
            "conference": conference,
            "members": members,
            "meetings": meetings,
            "can_add": scope.can(user, conference, "create"),
            "unit_prefix": _prefix("plans:unit_detail"),
        },
    )


@permission_required("plans.meeting.create")
def meeting_create(request, pk):
    user = request.user
    conference = get_conference_for_user(user, pk, "create")
    form = MeetingForm(request.POST or None, conference=conference)

    def create():
        data = form.cleaned_data
        return services.create_meeting(
            conference,
            actor=user,
            present=list(data["present"]),
            number=data.get("number"),
            **{k: data[k] for k in MeetingForm.Meta.fields},
        )

    response = submit_form(
        request,
        form,
        create,
        success=lambda meeting: reverse("plans:meeting_detail", args=[meeting.pk]),
        message=_("Meeting recorded."),
    )
    return response or form_page(
        request, "plans/meeting_form.html", form, {"conference": conference}
    )


@permission_required("plans.meeting.change")
def meeting_update(request, pk):
    """Correct a recorded meeting (its decisions and minutes are not edited here)."""
    user = request.user
    meeting = get_meeting_for_user(user, pk, "change")
    conference = meeting.conference
    initial = {
        "present": list(meeting.attendance.values_list("organization_id", flat=True)),
        "number": meeting.number,
    }
    form = MeetingForm(
        request.POST or None, instance=meeting, initial=initial, conference=conference
    )
    form.fields["number"].help_text = _("Leave empty to keep the meeting's number.")

    def update():
        data = form.cleaned_data
        return services.update_meeting(
            meeting,
            actor=user,
            present=list(data["present"]),
            number=data.get("number") or meeting.number,
            **{k: data[k] for k in MeetingForm.Meta.fields},
        )

    response = submit_form(
        request,
        form,
        update,
        success=lambda saved: reverse("plans:meeting_detail", args=[saved.pk]),
        message=_("Meeting corrected."),
    )
    return response or form_page(
        request, "plans/meeting_form.html", form, {"conference": conference, "meeting": meeting}
    )


def _meeting_filter(request):
    queryset = visible_to(request.user, Meeting.objects.with_relations())
    filterset = MeetingFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Meeting, "view", required=False)
    return filterset


@require_safe
@permission_required("plans.meeting.view")
def meeting_list(request):
    filterset = _meeting_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else Meeting.objects.none()
    return render(
        request,
        "plans/meeting_list.html",
        {
            "filter": filterset,
            "page": paginate(
                request, rows, count=lambda: capped_count(rows.order_by(), FILTERED_COUNT_CAP)
            ),
            "query": query_without_page(request),
            "detail_prefix": _prefix("plans:meeting_detail"),
            "can_export": has_permission(request.user, "plans.meeting.export"),
        },
    )


@exports.builder("plans.meeting", permission="plans.meeting.export", back="plans:meeting_list")
def meeting_export_rows(request):
    filterset = _meeting_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").prefetch_related(
            "present", "decisions"
        ),
        action="plans.meeting.exported",
        title=_("Joint-conference meetings"),
        columns=[
            Column("conference", _("Joint conference"), width=24),
            Column("number", _("Meeting number")),
            Column("title", _("Title"), width=30),
            Column("date", _("Date")),
            Column("place", _("Place"), width=20),
            Column("present", _("Units present"), width=40),
            Column("topics", pgettext("meeting", "Topics"), width=40),
            Column("decisions", _("Decisions"), width=60),
        ],
        to_values=lambda m: [
            m.conference.name,
            m.number,
            m.title,
            m.date.isoformat(),
            m.place,
            "、".join(o.name for o in m.present.all()),
            "；".join(m.topic_list()),
            "；".join(f"{d.number}. {d.text}" for d in m.decisions.all()),
        ],
        basename="meetings",
    )


@require_safe
@permission_required("plans.meeting.export")
def meeting_export(request):
    return export_list(request, "plans.meeting")


@require_safe
@permission_required("plans.meeting.view")
def meeting_detail(request, pk):
    user = request.user
    meeting = get_meeting_for_user(user, pk)
    decisions = meeting.decisions.select_related("task", "task__plan").prefetch_related(
        "task__units__organization"
    )
    can_decide = scope.can(user, meeting, "create") and has_permission(
        user, "plans.meetingdecision.create"
    )
    can_upload = has_permission(user, "plans.meetingminutes.create") and scope.can(
        user, meeting, "create"
    )
    can_edit = has_permission(user, "plans.meeting.change") and scope.can(user, meeting, "change")
    return render(
        request,
        "plans/meeting_detail.html",
        {
            "meeting": meeting,
            "present": meeting.attendance.select_related("organization"),
            "decisions": decisions,
            "minutes": meeting.minutes.all(),
            "can_decide": can_decide,
            "can_edit": can_edit,
            "minutes_form": MinutesForm() if can_upload else None,
            "task_prefix": _prefix("plans:task_detail"),
        },
    )


@permission_required("plans.meetingdecision.create")
def decision_create(request, pk):
    user = request.user
    meeting = get_meeting_for_user(user, pk, "create")
    form = DecisionForm(request.POST or None, user=user, meeting=meeting)
    response = submit_form(
        request,
        form,
        lambda: services.add_decision(meeting, actor=user, **form.service_fields()),
        success=reverse("plans:meeting_detail", args=[meeting.pk]),
        message=lambda d: (
            _("Decision recorded; the task is assigned to its units.")
            if d.task_id
            else _("Decision recorded.")
        ),
    )
    return response or form_page(request, "plans/decision_form.html", form, {"meeting": meeting})


@permission_required("plans.meeting.change")
def decision_update(request, pk, number):
    """Correct the wording of the meeting's decision `number` (its task is not changed)."""
    user = request.user
    meeting = get_meeting_for_user(user, pk, "change")
    decision = meeting.decisions.select_related("task__plan").filter(number=number).first()
    if decision is None:
        raise Http404
    form = DecisionTextForm(request.POST or None, initial={"text": decision.text})
    response = submit_form(
        request,
        form,
        lambda: services.update_decision(decision, actor=user, text=form.cleaned_data["text"]),
        success=reverse("plans:meeting_detail", args=[meeting.pk]),
        message=_("Decision corrected."),
    )
    return response or form_page(
        request,
        "plans/decision_text_form.html",
        form,
        {"meeting": meeting, "decision": decision},
    )


@require_POST
@permission_required("plans.meetingminutes.create")
def minutes_upload(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "create")
    form = MinutesForm(request.POST, request.FILES)
    return submit_form(
        request,
        form,
        lambda: services.add_minutes(meeting, actor=request.user, files=form.cleaned_data["files"]),
        success=reverse("plans:meeting_detail", args=[meeting.pk]),
        message=_("Minutes uploaded."),
    ) or form_page(request, "plans/minutes_form.html", form, {"meeting": meeting})


@require_safe
@permission_required("plans.meetingminutes.view")
def minutes_download(request, pk, file_pk):
    meeting = get_meeting_for_user(request.user, pk)
    row = meeting.minutes.filter(pk=file_pk).first()
    if row is None:
        raise Http404
    audit.record(
        "plans.meetingminutes.downloaded",
        obj=row,
        actor=request.user,
        detail={"meeting": meeting.pk},
        region_code=meeting.conference.region.code,
    )
    return file_response(row.file, content_type=row.content_type, name=row.name, download=True)


# --- a member unit's page ----------------------------------------------------------------


@require_safe
@permission_required("plans.task.view")
def unit_mine(request):
    """Member-unit staff: their (first) unit's page."""
    units = own_units(request.user, "view")
    if not units:
        raise Http404
    return redirect("plans:unit_detail", pk=units[0].pk)


@require_safe
@permission_required("plans.task.view")
def unit_detail(request, pk):
    """The plan tasks a unit leads or shares and the meeting decisions that assigned them,
    as far as the user sees them."""
    user = request.user
    unit = visible_to(user, Organization.objects.select_related("region")).filter(pk=pk).first()
    if unit is None:
        raise Http404
    tasks = visible_to(
        user,
        Task.objects.filter(units__organization=unit)
        .select_related("plan", "decision", "decision__meeting")
        .order_by("deadline", "pk"),
        public=False,
    )
    decisions = visible_to(
        user,
        MeetingDecision.objects.filter(task__units__organization=unit)
        .select_related("meeting", "meeting__conference", "task")
        .order_by("-meeting__date", "number"),
    )[:50]
    return render(
        request,
        "plans/unit_detail.html",
        {
            "unit": unit,
            "page": paginate(request, tasks),
            "decisions": decisions,
            "query": query_without_page(request),
            "task_prefix": _prefix("plans:task_detail"),
            "meeting_prefix": _prefix("plans:meeting_detail"),
        },
    )
