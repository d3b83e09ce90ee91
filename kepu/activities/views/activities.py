"""Back-office pages of activities: list and export, create and edit, the review
workflow, capacity, the after-event report, sign-ups and check-in."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kepu.activities import choices as c
from kepu.activities import services, stats
from kepu.activities.filters import ActivityFilter, SignUpFilter
from kepu.activities.forms import (
    ActivityForm,
    CapacityForm,
    CheckInForm,
    ReportForm,
)
from kepu.activities.io import activity_columns, activity_values, signup_columns, signup_values
from kepu.activities.models import Activity, ReportPhoto, SignUp
from kepu.activities.permissions import get_activity_for_user, get_facility_for_user
from kepu.core import exports, scope, workflow
from kepu.core.forms import ReasonForm
from kepu.core.models import Region
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.uploads import file_response
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
from kepu.core.widgets import RegionCascadeWidget

DETAIL = "activities:activity_detail"


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Activity.objects.with_relations(),
        public=False,
    )
    filterset = ActivityFilter(request.GET or None, queryset=queryset)
    # The region cascade of every other list, from the user's scope roots.
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=scope_roots(request.user) or list(Region.objects.roots()), empty_label=_("All")
    )
    return filterset


@require_safe
@permission_required("activities.activity.view")
def activity_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Activity.objects.none()
    user = request.user
    page = paginate(request, queryset.order_by("-starts_at", "-pk"))
    for activity in page:
        _precompute_row(activity)
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(user, "activities.activity.create"),
            "can_export": has_permission(user, "activities.activity.export"),
            "statuses": _statuses(user),
            # The campaign choices in one query (iterating the form field counts them first).
            "campaigns": [
                (str(pk), name)
                for pk, name in filterset.form.fields["campaign"].queryset.values_list("pk", "name")
            ],
        },
    )


STATUS_BADGES = {
    c.ActivityStatus.PUBLISHED: "bg-green-lt",
    c.ActivityStatus.SUBMITTED: "bg-yellow-lt",
    c.ActivityStatus.RETURNED: "bg-orange-lt",
    c.ActivityStatus.REJECTED: "bg-red-lt",
    c.ActivityStatus.CANCELLED: "bg-secondary-lt",
}


def _precompute_row(activity) -> None:
    """What a list row shows, made once in Python rather than by template filters and
    includes per row (the same text as partials/_when.html and _status.html)."""
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    if start.date() == end.date():
        activity.when_text = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    else:
        activity.when_text = f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
    activity.badge = STATUS_BADGES.get(activity.status, "bg-blue-lt")


def _statuses(user) -> list[tuple[str, str]]:
    """The status choices, each with its number of activities in the user's scope (from
    the counters) where the scope is whole regions."""
    counts = stats.status_counts(user)
    if counts is None:
        return c.ActivityStatus.choices
    return [
        (value, f"{label} ({counts.get(value, 0):,})") for value, label in c.ActivityStatus.choices
    ]


@require_safe
@permission_required("activities.activity.review")
def review_queue(request):
    queryset = (
        scope.actionable(request.user, Activity.objects.with_relations(), "review")
        .filter(status=c.ActivityStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    return render(
        request,
        "activities/review_queue.html",
        {"page": paginate(request, queryset), "query": query_without_page(request)},
    )


@exports.builder(
    "activities.activity", permission="activities.activity.export", back="activities:activity_list"
)
def activity_export_rows(request):
    filterset = _filtered(
        request, Activity.objects.select_related("region", "organization", "campaign")
    )
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.select_related("report")
        .prefetch_related("tags")
        .order_by("starts_at", "pk"),
        action="activities.activity.exported",
        title=_("Activities"),
        columns=activity_columns(),
        to_values=activity_values,
        basename="activities",
    )


@require_safe
@permission_required("activities.activity.export")
def activity_export(request):
    return export_list(request, "activities.activity")


def _form_context(request, form, activity=None, facility=None, **extra):
    return {"form": form, "activity": activity, "facility": facility, **extra}


@permission_required("activities.activity.create")
def activity_create(request):
    facility = None
    if request.GET.get("facility"):
        facility = get_facility_for_user(request.user, request.GET["facility"], "book")
    form = ActivityForm(request.POST or None, user=request.user, action="create", facility=facility)
    response = submit_form(
        request,
        form,
        lambda: services.create_activity(
            actor=request.user,
            groups=form.cleaned_data["groups"],
            topics=form.cleaned_data["topics"],
            facility=facility,
            **form.service_fields(),
        ),
        success=lambda activity: reverse(DETAIL, args=[activity.pk]),
        message=lambda activity: (
            _("“%(title)s” saved as a draft. Submit it for review when it is ready.")
            % {"title": activity.title}
        ),
        fallback=reverse("activities:activity_list"),
    )
    return response or form_page(
        request, "activities/activity_form.html", form, {"activity": None, "facility": facility}
    )


@permission_required("activities.activity.change")
def activity_update(request, pk):
    activity = get_activity_for_user(request.user, pk, "change")
    if not activity.is_editable:
        messages.error(request, _("Only drafts and returned activities can be edited."))
        return redirect(DETAIL, pk=pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        action="change",
        facility=activity.facility,
    )
    response = submit_form(
        request,
        form,
        lambda: services.update_activity(
            activity,
            actor=request.user,
            groups=form.cleaned_data["groups"],
            topics=form.cleaned_data["topics"],
            **form.service_fields(),
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Changes saved."),
    )
    return response or form_page(
        request,
        "activities/activity_form.html",
        form,
        {"activity": activity, "facility": activity.facility},
    )


def _timeline(activity):
    """The activity's history, oldest first: created, submitted, reviews, report."""
    events = [(activity.created_at, "created", _("Drafted"), "")]
    # Reviews follow a submission: a draft never submitted has none to read.
    decisions = activity.decisions.select_related("decided_by").order_by("decided_at")
    for d in decisions if activity.submitted_at else ():
        who = d.decided_by.display_name if d.decided_by else ""
        events.append(
            (d.decided_at, d.decision, d.get_decision_display(), f"{who} {d.reason}".strip())
        )
    if activity.submitted_at:
        events.append((activity.submitted_at, "submitted", _("Submitted for review"), ""))
    report = getattr(activity, "report", None)
    if report is not None:
        label = _("Report filed late") if report.is_late else _("Report filed")
        events.append((report.filed_at, "report", label, ""))
    return sorted(events, key=lambda e: e[0])


@require_safe
@permission_required("activities.activity.view")
def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


def _detail_context(request, activity, **extra):
    user = request.user
    status = activity.status
    report = getattr(activity, "report", None)
    context = {
        "activity": activity,
        "report": report,
        "photos": report.photos.all() if report else [],
        "timeline": _timeline(activity),
        "can_edit": activity.is_editable and scope.can(user, activity, "change"),
        "can_submit": activity.is_editable and scope.can(user, activity, "submit"),
        "can_review": status == c.ActivityStatus.SUBMITTED and scope.can(user, activity, "review"),
        "held_back": workflow.held_back(user, activity, "review")
        if status == c.ActivityStatus.SUBMITTED
        else None,
        "can_cancel": status in c.LIVE_STATUSES and scope.can(user, activity, "cancel"),
        "can_capacity": status == c.ActivityStatus.PUBLISHED
        and activity.signup_required
        and scope.can(user, activity, "change"),
        "can_report": status == c.ActivityStatus.PUBLISHED
        and activity.has_ended
        and report is None
        and scope.can(user, activity, "report"),
        "can_signups": activity.signup_required and has_permission(user, "activities.signup.view"),
        "can_checkin": status == c.ActivityStatus.PUBLISHED
        and activity.signup_required
        and scope.can(user, activity, "checkin"),
        "review_form": ReasonForm(),
        "cancel_form": ReasonForm(prefix="cancel"),
        "capacity_form": CapacityForm(initial={"capacity": activity.capacity}),
        # Only confirmed places check in: none confirmed, none to count.
        "checked_in": activity.signups.filter(checked_in_at__isnull=False).count()
        if activity.signup_required and activity.confirmed_count
        else 0,
    }
    context.update(extra)
    return context


@require_POST
@permission_required("activities.activity.submit")
def activity_submit(request, pk):
    activity = get_activity_for_user(request.user, pk, "submit")
    return run_step(
        request,
        lambda: services.submit_activity(activity, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Submitted. The officers of %(region)s will review it.")
        % {"region": activity.region.name},
    )


REVIEW_MESSAGES = {
    "approve": lambda: _("Approved: the activity is now published on the public calendar."),
    "return": lambda: _("Returned to the organizer with your reasons."),
    "reject": lambda: _("Rejected."),
}


@require_POST
@permission_required("activities.activity.review")
def activity_review(request, pk, step):
    """A decision from the detail page or the review queue; a refusal (no reason, or
    already decided) shows the detail page again with the reason on the form (400)."""
    if step not in REVIEW_MESSAGES:
        raise Http404
    activity = get_activity_for_user(request.user, pk, "review")
    form = ReasonForm(request.POST)
    from_queue = request.POST.get("next", "") == "queue"
    response = submit_form(
        request,
        form,
        lambda: services.review_activity(
            activity, actor=request.user, step=step, reason=form.cleaned_data.get("reason", "")
        ),
        success=reverse("activities:review_queue") if from_queue else reverse(DETAIL, args=[pk]),
        message=REVIEW_MESSAGES[step](),
    )
    if response is not None:
        return response
    context = _detail_context(request, activity, review_form=form)
    return render(request, "activities/activity_detail.html", context, status=400)


@require_POST
@permission_required("activities.activity.cancel")
def activity_cancel(request, pk):
    activity = get_activity_for_user(request.user, pk, "cancel")
    form = ReasonForm(request.POST, prefix="cancel")
    form.is_valid()
    return run_step(
        request,
        lambda: services.cancel_activity(
            activity, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        back=reverse(DETAIL, args=[pk]),
        message=_("The activity has been cancelled."),
    )


@require_POST
@permission_required("activities.activity.change")
def activity_capacity(request, pk):
    activity = get_activity_for_user(request.user, pk, "change")
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a number of places of at least 1."))
        return redirect(DETAIL, pk=pk)
    return run_step(
        request,
        lambda: services.set_capacity(
            activity, actor=request.user, capacity=form.cleaned_data["capacity"]
        ),
        back=reverse(DETAIL, args=[pk]),
        message=_("Places changed; the waiting list has moved up where places were free."),
    )


@permission_required("activities.activity.report")
def report_create(request, pk):
    activity = get_activity_for_user(request.user, pk, "report")
    form = ReportForm(request.POST or None, request.FILES or None)

    def file_report():
        data = dict(form.cleaned_data)
        photos = data.pop("photos", [])
        return services.file_report(activity, actor=request.user, photos=photos, **data)

    response = submit_form(
        request,
        form,
        file_report,
        success=reverse(DETAIL, args=[pk]),
        message=_("Report filed. Thank you."),
    )
    if response is not None:
        return response
    checked_in = activity.signups.filter(checked_in_at__isnull=False).count()
    if not form.is_bound and checked_in:
        form.initial["onsite_attendance"] = checked_in
    return form_page(
        request,
        "activities/report_form.html",
        form,
        {"activity": activity, "checked_in": checked_in},
    )


@require_safe
@permission_required("activities.activityreport.view")
def report_photo(request, pk, photo_pk):
    activity = get_activity_for_user(request.user, pk)
    photo = ReportPhoto.objects.filter(pk=photo_pk, report__activity=activity).first()
    if photo is None:
        raise Http404
    return file_response(
        photo.image, content_type=photo.content_type, cache="private, max-age=3600"
    )


@require_safe
@permission_required("activities.signup.view")
def signup_list(request, pk):
    activity = get_activity_for_user(request.user, pk)
    filterset = SignUpFilter(
        request.GET or None, queryset=visible_to(request.user, SignUp).filter(activity=activity)
    )
    signups = filterset.qs if filter_is_usable(filterset) else SignUp.objects.none()
    status = request.GET.get("status", "")
    return render(
        request,
        "activities/signup_list.html",
        {
            "activity": activity,
            "page": paginate(request, signups.order_by("status", "created_at", "pk"), per_page=50),
            "query": query_without_page(request),
            "status": status,
            "statuses": c.SignUpStatus.choices,
            "can_export": has_permission(request.user, "activities.signup.export"),
        },
    )


@exports.builder("activities.signup", permission="activities.signup.export")
def signup_export_rows(request, pk):
    activity = get_activity_for_user(request.user, pk)
    queryset = visible_to(request.user, SignUp, "export").filter(activity=activity)
    return exports.Rows(
        queryset=queryset.order_by("status", "created_at", "pk"),
        action="activities.signup.exported",
        title=_("Sign-ups"),
        columns=signup_columns(),
        to_values=signup_values,
        basename=f"signups-{activity.pk}",
        detail={"activity": activity.pk},
    )


@require_safe
@permission_required("activities.signup.export")
def signup_export(request, pk):
    return export_list(request, "activities.signup", pk=pk)


@never_cache
@permission_required("activities.activity.checkin")
def checkin(request, pk):
    """The check-in desk on a phone: scan the QR ticket with the camera, or type its code.
    The scanner (fetch, `Accept: application/json`) is answered by `checkin_answer`, in
    the API's error contract; a plain form post runs the step and comes back here."""
    activity = get_activity_for_user(request.user, pk, "checkin")
    if request.method == "POST":
        if request.headers.get("Accept", "").startswith("application/json"):
            return checkin_answer(request, pk=pk)
        back = reverse("activities:checkin", args=[pk])
        form = CheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        return run_step(
            request,
            lambda: services.check_in(activity, actor=request.user, code=form.cleaned_data["code"]),
            back=back,
            message=_checked_in_message,
        )
    return render(
        request,
        "activities/checkin.html",
        {"activity": activity, "form": CheckInForm(), **_checkin_counts(activity)},
    )


@api_view(["POST"])
def checkin_answer(request, pk):
    """The scanner's check-in: 200 with the counts, or the core error body — 409 for a
    ticket already used or not a confirmed place, 400 for a code of no ticket."""
    scope.require(request.user, "activities.activity.checkin")
    activity = get_activity_for_user(request.user, pk, "checkin")
    form = CheckInForm(request.data)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    signup = services.check_in(activity, actor=request.user, code=form.cleaned_data["code"])
    return Response(
        {"ok": True, "message": _checked_in_message(signup), **_checkin_counts(activity)}
    )


def _checked_in_message(signup) -> str:
    return _("Welcome, %(name)s. Ticket %(code)s checked in.") % {
        "name": signup.name,
        "code": signup.ticket_code,
    }


def _checkin_counts(activity) -> dict:
    confirmed = activity.signups.filter(status=c.SignUpStatus.CONFIRMED)
    return {
        "confirmed": confirmed.count(),
        "arrived": confirmed.filter(checked_in_at__isnull=False).count(),
        "now": timezone.localtime().strftime("%H:%M"),
    }
