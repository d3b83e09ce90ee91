"""Training as a process (seeds 001 三(一)6, 000 (三)): courses, training bases, the
training statistics, a person's own training, and the public check of a certificate."""

import datetime

from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, exports, ratelimit, rollups
from kepu.core.excel import Column, export_response
from kepu.core.forms import region_field
from kepu.core.scope import can, has_permission, visible_to
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
from kepu.core.views.dashboard import focus_region, scope_breadcrumbs
from kepu.people import choices as c
from kepu.people import training_services as services
from kepu.people.filters import CourseFilter
from kepu.people.models import Course, Enrolment, TrainingBase, TrainingSession
from kepu.people.permissions import get_course_for_user, get_trainingbase_for_user
from kepu.people.rollups import TRAINING_COMPLETIONS
from kepu.people.training_forms import CourseForm, SessionForm, TrainingBaseForm

# --- courses ---------------------------------------------------------------------------


def _courses(request):
    queryset = visible_to(request.user, Course.objects.with_relations())
    filterset = CourseFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Course, "view", required=False)
    return filterset


@require_safe
@permission_required("people.course.view")
def course_list(request):
    filterset = _courses(request)
    rows = filterset.qs if filter_is_usable(filterset) else Course.objects.none()
    return render(
        request,
        "people/training/course_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-created_at", "-pk")),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "people.course.create"),
            "can_export": has_permission(request.user, "people.course.export"),
        },
    )


@exports.builder("people.course", permission="people.course.export", back="people:course_list")
def course_export_rows(request):
    filterset = _courses(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("-created_at", "-pk"),
        action="people.course.exported",
        title=_("Training courses"),
        columns=[
            Column("title", _("Title"), width=30),
            Column("topic", _("Topic"), width=20),
            Column("audience", pgettext("training", "Audience"), width=16),
            Column("hours", _("Hours"), text=False),
            Column("credit", _("Credit"), text=False),
            Column("region", _("Organizing region")),
            Column("organization", pgettext("training", "Organizing unit"), width=24),
        ],
        to_values=lambda course: [
            course.title,
            course.topic,
            str(course.get_audience_display()),
            float(course.hours),
            float(course.credit),
            course.region.name,
            course.organization.name if course.organization_id else "",
        ],
        basename="training-courses",
    )


@require_safe
@permission_required("people.course.export")
def course_export(request):
    return export_list(request, "people.course")


@permission_required("people.course.create")
def course_create(request):
    form = CourseForm(request.POST or None, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.create_course(actor=request.user, **form.service_fields()),
        success=lambda course: reverse("people:course_detail", args=[course.pk]),
        message=lambda course: _("Course “%(title)s” created.") % {"title": course},
        fallback=reverse("people:course_list"),
    )
    return response or form_page(request, "people/training/course_form.html", form)


@permission_required("people.course.change")
def course_update(request, pk):
    course = get_course_for_user(request.user, pk, "change")
    form = CourseForm(request.POST or None, instance=course, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.update_course(course, actor=request.user, **form.service_fields()),
        success=reverse("people:course_detail", args=[course.pk]),
        message=_("Course saved."),
    )
    return response or form_page(
        request, "people/training/course_form.html", form, {"course": course}
    )


@require_safe
@permission_required("people.course.view")
def course_detail(request, pk):
    course = get_course_for_user(request.user, pk)
    sessions = visible_to(request.user, TrainingSession.objects.with_relations()).filter(
        course=course
    )
    return render(
        request,
        "people/training/course_detail.html",
        {
            "course": course,
            "page": paginate(request, sessions.order_by("-starts_on", "-pk")),
            "query": query_without_page(request),
            "can_change": can(request.user, course, "change"),
            "can_add_session": can(request.user, course, "change")
            and has_permission(request.user, "people.trainingsession.create"),
        },
    )


@permission_required("people.trainingsession.create")
def session_create(request, pk):
    course = get_course_for_user(request.user, pk, "change")
    form = SessionForm(request.POST or None, user=request.user)
    response = submit_form(
        request,
        form,
        lambda: services.create_session(course, actor=request.user, **form.cleaned_data),
        success=lambda session: reverse("people:session_detail", args=[session.pk]),
        message=_("Session created as a draft: open it for enrolment when ready."),
        fallback=reverse("people:course_detail", args=[course.pk]),
    )
    return response or form_page(
        request, "people/training/session_form.html", form, {"course": course}
    )


# --- training bases ------------------------------------------------------------------------


@permission_required("people.trainingbase.view")
def base_list(request):
    can_create = has_permission(request.user, "people.trainingbase.create")
    form = TrainingBaseForm(request.POST or None, user=request.user) if can_create else None
    bases = visible_to(request.user, TrainingBase.objects.with_relations()).order_by("name", "pk")
    page = paginate(request, bases)
    for base in page:
        base.may_recognize = base.can_recognize() and can(request.user, base, "recognize")
    context = {"page": page, "query": query_without_page(request)}
    if form is None:
        return render(request, "people/training/base_list.html", {**context, "form": None})
    response = submit_form(
        request,
        form,
        lambda: services.create_base(actor=request.user, **form.service_fields()),
        success=reverse("people:base_list"),
        message=lambda base: (
            _("Training base “%(name)s” proposed for recognition.") % {"name": base}
        ),
    )
    return response or form_page(request, "people/training/base_list.html", form, context)


@require_POST
@permission_required("people.trainingbase.recognize")
def base_recognize(request, pk):
    base = get_trainingbase_for_user(request.user, pk, "recognize")
    return run_step(
        request,
        lambda: services.recognize_base(base, actor=request.user),
        back=reverse("people:base_list"),
        message=_("Training base recognized."),
    )


# --- statistics ------------------------------------------------------------------------------


def _year(request) -> int:
    raw = request.GET.get("year", "")
    this = clock.today().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


def training_figures(focus, year: int):
    """Completions by child region and audience in `year`, from the rollup counters:
    ([(region, {audience: n, "total": n})], totals)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    children, direct = rollups.by_child(TRAINING_COMPLETIONS, focus, start, end, split_keys=True)
    audiences = [a.value for a in c.Audience]
    rows = []
    totals = dict.fromkeys([*audiences, "total"], 0)
    for region, counts in [*children, (focus, direct)]:
        figures = {a: counts.get(a, 0) for a in audiences}
        figures["total"] = sum(figures.values())
        if region is focus and not figures["total"]:
            continue
        rows.append((region, figures))
        for key, n in figures.items():
            totals[key] += n
    return rows, totals


@require_safe
@permission_required("people.dashboard.view")
def training_stats(request):
    focus = focus_region(request)
    year = _year(request)
    rows, totals = training_figures(focus, year) if focus else ([], {})
    audiences = list(c.Audience.choices)
    table = [
        (region, [figures[a] for a, _l in audiences], figures["total"]) for region, figures in rows
    ]
    return render(
        request,
        "people/training/stats.html",
        {
            "focus": focus,
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 6, -1)),
            "audiences": audiences,
            "table": table,
            "totals": [totals.get(a, 0) for a, _l in audiences],
            "total": totals.get("total", 0),
            "kpis": [(label, totals.get(a, 0)) for a, label in audiences[:3]],
            "breadcrumbs": scope_breadcrumbs(request.user, focus),
        },
    )


@require_safe
@permission_required("people.dashboard.view")
def training_stats_export(request):
    focus = focus_region(request)
    year = _year(request)
    rows, totals = training_figures(focus, year) if focus else ([], {})
    audiences = list(c.Audience.choices)
    columns = [
        Column("region", _("Region")),
        Column("code", _("Region code")),
        *(Column(a, str(label), text=False, width=12) for a, label in audiences),
        Column("total", _("Total"), text=False),
    ]
    audit.record(
        "people.trainingstats.exported",
        object_type="people.enrolment",
        detail={"region": focus.code if focus else "", "year": year, "rows": len(rows)},
    )
    items = [*rows, (focus, totals)] if focus else []

    def values(item):
        region, figures = item
        return [
            region.name,
            region.code,
            *(figures.get(a, 0) for a, _l in audiences),
            figures.get("total", 0),
        ]

    name = f"training-stats-{focus.code if focus else ''}-{year}.xlsx"
    return export_response(str(_("Training completions")), columns, iter(items), values, name)


# --- a person's own training -----------------------------------------------------------------


@require_safe
@permission_required("people.enrolment.view")
def my_training(request):
    person = getattr(request.user, "person", None)
    enrolments = (
        Enrolment.objects.with_relations().filter(person=person).order_by("-enrolled_at", "-pk")
        if person is not None
        else Enrolment.objects.none()
    )
    today = clock.today()
    open_sessions = (
        visible_to(request.user, TrainingSession.objects.with_relations())
        .filter(status=c.SessionStatus.OPEN)
        .exclude(enrol_until__lt=today)
        .order_by("starts_on", "pk")[:20]
    )
    trainings = person.trainings.all()[:50] if person is not None else []
    credits = person.credits.all()[:50] if person is not None else []
    return render(
        request,
        "people/training/my_training.html",
        {
            "person": person,
            "enrolments": enrolments[:50],
            "open_sessions": open_sessions,
            "mine": set(enrolments.values_list("session_id", flat=True)) if person else set(),
            "trainings": trainings,
            "credits": credits,
            "total_hours": person.trainings.aggregate(n=Sum("hours"))["n"] if person else 0,
            "total_credits": person.credits.aggregate(n=Sum("credits"))["n"] if person else 0,
            "can_enrol": person is not None
            and has_permission(request.user, "people.enrolment.self_enrol"),
        },
    )


# --- the public check of a certificate ---------------------------------------------------


VERIFY_LIMIT, VERIFY_WINDOW_SECONDS = 30, 60


def _mask(name: str) -> str:
    name = (name or "").strip()
    return (name[0] + "*" * max(len(name) - 1, 1)) if name else "*"


@never_cache
@require_safe
def certificate_verify(request):
    """Is this a genuine completion certificate? Anyone may check a number: the masked
    name, the course, the hours and the date; nothing else."""
    number = request.GET.get("number", "").strip().upper()[:24]
    enrolment = None
    if number:
        if not ratelimit.allow(
            request, "training-verify", limit=VERIFY_LIMIT, per_seconds=VERIFY_WINDOW_SECONDS
        ):
            return render(request, "core/errors/429.html", status=429)
        enrolment = (
            Enrolment.objects.select_related("person", "session", "session__course")
            .filter(certificate_number=number, status=c.EnrolmentStatus.COMPLETED)
            .first()
        )
    response = render(
        request,
        "people/training/verify.html",
        {
            "number": number,
            "enrolment": enrolment,
            "holder": _mask(enrolment.person.name) if enrolment else "",
        },
        status=404 if number and enrolment is None else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
