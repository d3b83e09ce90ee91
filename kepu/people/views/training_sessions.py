"""Sessions of a training course: the list, a session's page with enrolment, the waiting
list and attendance, the workflow steps, completion (one or all attended) and the
completion certificate's PDF."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock
from kepu.core.forms import region_field
from kepu.core.pdf import pdf_response, qr_svg, render_pdf
from kepu.core.scope import can, has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.people import choices as c
from kepu.people import training_services as services
from kepu.people.filters import SessionFilter
from kepu.people.models import Enrolment, TrainingSession
from kepu.people.permissions import get_enrolment_for_user, get_session_for_user
from kepu.people.training_forms import EnrolForm


@require_safe
@permission_required("people.trainingsession.view")
def session_list(request):
    queryset = visible_to(request.user, TrainingSession.objects.with_relations())
    filterset = SessionFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, TrainingSession, "view", required=False
    )
    rows = filterset.qs if filter_is_usable(filterset) else TrainingSession.objects.none()
    return render(
        request,
        "people/training/session_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-starts_on", "-pk")),
            "query": query_without_page(request),
        },
    )


def _detail_url(session) -> str:
    return reverse("people:session_detail", args=[session.pk])


@permission_required("people.trainingsession.view")
def session_detail(request, pk):
    """The session; for its organizers, the enrolment form and the roll (enrolled,
    waiting, completed) with attendance and completion."""
    session = get_session_for_user(request.user, pk)
    manage = can(request.user, session, "change")
    form = None
    if manage and has_permission(request.user, "people.enrolment.create"):
        form = EnrolForm(request.POST or None, user=request.user)
        response = submit_form(
            request,
            form,
            lambda: services.enrol(session, form.cleaned_data["person"], actor=request.user)[0],
            success=_detail_url(session),
            message=lambda e: (
                _("%(name)s: %(status)s.")
                % {"name": e.person.name, "status": e.get_status_display()}
            ),
        )
        if response:
            return response
    elif request.method == "POST":
        raise PermissionDenied
    roll = (
        visible_to(request.user, Enrolment.objects.select_related("person"))
        .filter(session=session)
        .order_by("enrolled_at", "pk")
    )
    status = request.GET.get("status", "")
    if status in c.EnrolmentStatus.values:
        roll = roll.filter(status=status)
    own = None
    open_now = session.takes_enrolments(clock.today())
    person = getattr(request.user, "person", None)
    if person is not None:
        own = Enrolment.objects.filter(session=session, person=person).first()
    context = {
        "session": session,
        "course": session.course,
        "manage": manage,
        # The enrolment form while the session takes enrolments (and a refused one again).
        "form": form if form is not None and (open_now or form.is_bound) else None,
        "page": paginate(request, roll) if manage else None,
        "query": query_without_page(request),
        "status": status,
        "statuses": c.EnrolmentStatus.choices,
        "steps": [s for s in c.SESSION_STEPS if session.can_step(s)] if manage else [],
        "own": own,
        "can_self_enrol": person is not None
        and has_permission(request.user, "people.enrolment.self_enrol")
        and open_now
        and (own is None or not own.is_live),
    }
    status_code = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "people/training/session_detail.html", context, status=status_code)


@require_POST
@permission_required("people.trainingsession.change")
def session_step(request, pk, step):
    if step not in c.SESSION_STEPS:
        raise Http404
    session = get_session_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.step_session(session, step, actor=request.user),
        back=_detail_url(session),
        message=lambda s: _("The session is now: %(status)s.") % {"status": s.get_status_display()},
    )


@require_POST
@permission_required("people.enrolment.self_enrol")
def session_enrol_self(request, pk):
    """A registered person enrols themselves (an open session, read as a public row)."""
    session = get_session_for_user(request.user, pk)
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return run_step(
        request,
        lambda: services.enrol(session, person, actor=request.user, self_enrolled=True)[0],
        back=_detail_url(session),
        message=lambda e: (
            _("You are enrolled.")
            if e.status == c.EnrolmentStatus.ENROLLED
            else _("The session is full: you are on the waiting list.")
        ),
    )


@require_POST
@permission_required("people.enrolment.view")
def enrolment_withdraw(request, pk):
    """The organizer withdraws someone, or a person withdraws their own enrolment."""
    enrolment = get_enrolment_for_user(request.user, pk)
    own = enrolment.person.user_id == request.user.pk
    if not own and not can(request.user, enrolment, "change"):
        raise PermissionDenied
    back = reverse("people:my_training") if own else _detail_url(enrolment.session)
    return run_step(
        request,
        lambda: services.withdraw(enrolment, actor=request.user),
        back=back,
        message=_("Enrolment withdrawn."),
    )


@require_POST
@permission_required("people.enrolment.change")
def enrolment_attend(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk, "change")
    attended = request.POST.get("attended") == "1"
    return run_step(
        request,
        lambda: services.set_attendance(enrolment, actor=request.user, attended=attended),
        back=_detail_url(enrolment.session),
        message=_("Attendance saved."),
    )


@require_POST
@permission_required("people.enrolment.change")
def enrolment_complete(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.complete(enrolment, actor=request.user),
        back=_detail_url(enrolment.session),
        message=lambda e: (
            _("Completed; certificate %(number)s.") % {"number": e.certificate_number}
        ),
    )


@require_POST
@permission_required("people.enrolment.change")
def session_complete_all(request, pk):
    session = get_session_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.complete_attended(session, actor=request.user),
        back=_detail_url(session),
        message=lambda n: _("%(n)d people completed the training.") % {"n": n},
    )


# --- the certificate ----------------------------------------------------------------------


def _hours(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def render_certificate(enrolment: Enrolment, *, url: str) -> bytes:
    """The completion certificate (结业证书): an official document in the platform's
    language, whatever the page language."""
    session = enrolment.session
    course = session.course
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "enrolment": enrolment,
            "person": enrolment.person,
            "session": session,
            "course": course,
            "organizer": course.organization.name
            if course.organization_id
            else session.region.name,
            "hours": _hours(enrolment.hours),
            "credit": _hours(enrolment.credit) if enrolment.credit else "",
            "starts_on": formats.date_format(session.starts_on, "DATE_FORMAT"),
            "ends_on": formats.date_format(session.ends_on, "DATE_FORMAT"),
            "completed_on": formats.date_format(enrolment.completed_on, "DATE_FORMAT"),
            "verify_url": url,
            "qr": qr_svg(url),
        }
        return render_pdf("people/training/certificate_pdf.html", context)


@never_cache
@require_safe
@permission_required("people.enrolment.view")
def certificate_pdf(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk)
    if enrolment.status != c.EnrolmentStatus.COMPLETED:
        raise Http404
    url = request.build_absolute_uri(
        f"{reverse('people:certificate_verify')}?number={enrolment.certificate_number}"
    )
    content = render_certificate(enrolment, url=url)
    audit.record(
        "people.enrolment.certificate_downloaded",
        obj=enrolment,
        detail={"number": enrolment.certificate_number},
    )
    return pdf_response(content, f"training-certificate-{enrolment.certificate_number}.pdf")
