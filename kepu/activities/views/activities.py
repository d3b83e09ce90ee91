"""Back-office pages of activities: list and export, create and edit, the review
workflow, capacity, the after-event report, sign-ups and check-in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.activities import choices as c
from kepu.activities import services
from kepu.activities.filters import ActivityFilter, SignUpFilter
from kepu.activities.forms import (
    ActivityForm,
    CapacityForm,
    CheckInForm,
    ReasonForm,
    ReportForm,
)
from kepu.activities.io import activity_columns, activity_values, signup_columns, signup_values
from kepu.activities.models import Activity, ReportPhoto, SignUp
from kepu.activities.permissions import get_activity_for_user, get_facility_for_user
from kepu.core import idempotency, scope
from kepu.core.scope import has_permission, visible_to
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    add_errors,
    done,
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    refused,
)

DETAIL = "activities:activity_detail"


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Activity.objects.with_relations(),
        public=False,
    )
    return ActivityFilter(request.GET or None, queryset=queryset)


@require_safe
@permission_required("activities.activity.view")
def activity_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Activity.objects.none()
    user = request.user
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset.order_by("-starts_at", "-pk")),
            "query": query_without_page(request),
            "can_create": has_permission(user, "activities.activity.create"),
            "can_export": has_permission(user, "activities.activity.export"),
            "statuses": c.ActivityStatus.choices,
        },
    )


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


@require_safe
@permission_required("activities.activity.export")
def activity_export(request):
    filterset = _filtered(
        request, Activity.objects.select_related("region", "organization", "campaign")
    )
    if not filter_is_usable(filterset):
        return redirect(f"{reverse('activities:activity_list')}?{request.GET.urlencode()}")
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return export_list(
        request,
        queryset=queryset.select_related("report")
        .prefetch_related("tags")
        .order_by("starts_at", "pk"),
        action="activities.activity.exported",
        title=_("Activities"),
        columns=activity_columns(),
        to_values=activity_values,
        basename="activities",
    )


def _form_context(request, form, activity=None, facility=None, **extra):
    return {"form": form, "activity": activity, "facility": facility, **extra}


@permission_required("activities.activity.create")
def activity_create(request):
    facility = None
    if request.GET.get("facility"):
        facility = get_facility_for_user(request.user, request.GET["facility"])
    form = ActivityForm(request.POST or None, user=request.user, action="create", facility=facility)
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or "activities:activity_list")
        data = form.service_fields()
        try:
            activity = services.create_activity(
                actor=request.user,
                groups=form.cleaned_data["groups"],
                topics=form.cleaned_data["topics"],
                facility=facility,
                **data,
            )
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("activities:activity_detail", args=[activity.pk])
            idempotency.remember(request, url)
            messages.success(
                request,
                _("“%(title)s” saved as a draft. Submit it for review when it is ready.")
                % {"title": activity.title},
            )
            return redirect(url)
    context = _form_context(request, form, facility=facility, form_token=idempotency.new_token())
    return render(request, "activities/activity_form.html", context)


@permission_required("activities.activity.change")
def activity_update(request, pk):
    activity = get_activity_for_user(request.user, pk, "change")
    if not activity.is_editable:
        messages.error(request, _("Only drafts and returned activities can be edited."))
        return redirect("activities:activity_detail", pk=pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        action="change",
        facility=activity.facility,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                activity,
                actor=request.user,
                groups=form.cleaned_data["groups"],
                topics=form.cleaned_data["topics"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("activities:activity_detail", pk=pk)
    context = _form_context(request, form, activity=activity, facility=activity.facility)
    return render(request, "activities/activity_form.html", context)


def _timeline(activity):
    """The activity's history, oldest first: created, submitted, reviews, report."""
    events = [(activity.created_at, "created", _("Drafted"), "")]
    for d in activity.decisions.select_related("decided_by").order_by("decided_at"):
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
        "checked_in": activity.signups.filter(checked_in_at__isnull=False).count()
        if activity.signup_required
        else 0,
    }
    context.update(extra)
    return context


@require_POST
@permission_required("activities.activity.submit")
def activity_submit(request, pk):
    activity = get_activity_for_user(request.user, pk, "submit")
    try:
        services.submit_activity(activity, actor=request.user)
    except ValidationError as exc:
        return refused(request, DETAIL, pk, exc)
    return done(
        request,
        DETAIL,
        pk,
        _("Submitted. The officers of %(region)s will review it.")
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
    if step not in REVIEW_MESSAGES:
        raise Http404
    activity = get_activity_for_user(request.user, pk, "review")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.review_activity(
            activity, actor=request.user, step=step, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        context = _detail_context(request, activity, review_form=form)
        add_errors(form, exc)
        return render(request, "activities/activity_detail.html", context, status=400)
    next_url = request.POST.get("next", "")
    if next_url == "queue":
        messages.success(request, REVIEW_MESSAGES[step]())
        return redirect("activities:review_queue")
    return done(request, DETAIL, pk, REVIEW_MESSAGES[step]())


@require_POST
@permission_required("activities.activity.cancel")
def activity_cancel(request, pk):
    activity = get_activity_for_user(request.user, pk, "cancel")
    form = ReasonForm(request.POST, prefix="cancel")
    form.is_valid()
    try:
        services.cancel_activity(
            activity, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        return refused(request, DETAIL, pk, exc)
    return done(request, DETAIL, pk, _("The activity has been cancelled."))


@require_POST
@permission_required("activities.activity.change")
def activity_capacity(request, pk):
    activity = get_activity_for_user(request.user, pk, "change")
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a number of places of at least 1."))
        return redirect("activities:activity_detail", pk=pk)
    try:
        services.set_capacity(activity, actor=request.user, capacity=form.cleaned_data["capacity"])
    except ValidationError as exc:
        return refused(request, DETAIL, pk, exc)
    return done(
        request,
        DETAIL,
        pk,
        _("Places changed; the waiting list has moved up where places were free."),
    )


@permission_required("activities.activity.report")
def report_create(request, pk):
    activity = get_activity_for_user(request.user, pk, "report")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or reverse("activities:activity_detail", args=[pk]))
        data = dict(form.cleaned_data)
        photos = data.pop("photos", [])
        try:
            services.file_report(activity, actor=request.user, photos=photos, **data)
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("activities:activity_detail", args=[pk])
            idempotency.remember(request, url)
            return done(request, DETAIL, pk, _("Report filed. Thank you."))
    checked_in = activity.signups.filter(checked_in_at__isnull=False).count()
    if not form.is_bound and checked_in:
        form.initial["onsite_attendance"] = checked_in
    return render(
        request,
        "activities/report_form.html",
        {
            "form": form,
            "activity": activity,
            "checked_in": checked_in,
            "form_token": idempotency.new_token(),
        },
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


@require_safe
@permission_required("activities.signup.export")
def signup_export(request, pk):
    activity = get_activity_for_user(request.user, pk)
    queryset = visible_to(request.user, SignUp, "export").filter(activity=activity)
    return export_list(
        request,
        queryset=queryset.order_by("status", "created_at", "pk"),
        action="activities.signup.exported",
        title=_("Sign-ups"),
        columns=signup_columns(),
        to_values=signup_values,
        basename=f"signups-{activity.pk}",
        detail={"activity": activity.pk},
    )


@never_cache
@permission_required("activities.activity.checkin")
def checkin(request, pk):
    """The check-in desk on a phone: scan the QR ticket with the camera, or type its code.
    POSTs answer JSON to the scanner (fetch) and a page to a plain form."""
    activity = get_activity_for_user(request.user, pk, "checkin")
    result = None
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.check_in(activity, actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            result = {"ok": False, "message": " ".join(exc.messages)}
        else:
            result = {
                "ok": True,
                "message": _("Welcome, %(name)s. Ticket %(code)s checked in.")
                % {"name": signup.name, "code": signup.ticket_code},
            }
        counts = _checkin_counts(activity)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({**result, **counts}, status=200 if result["ok"] else 409)
    return render(
        request,
        "activities/checkin.html",
        {
            "activity": activity,
            "form": CheckInForm(),
            "result": result,
            **_checkin_counts(activity),
        },
        status=200 if result is None or result["ok"] else 409,
    )


def _checkin_counts(activity) -> dict:
    confirmed = activity.signups.filter(status=c.SignUpStatus.CONFIRMED)
    return {
        "confirmed": confirmed.count(),
        "arrived": confirmed.filter(checked_in_at__isnull=False).count(),
        "now": timezone.localtime().strftime("%H:%M"),
    }
