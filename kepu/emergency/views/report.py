"""Pages: the incident's review report (复盘报告, tab "report") and its PDF, and the
officer's form for an expert answer (published on the incident's public page)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import audit, clock
from kepu.core.pdf import pdf_response, render_pdf
from kepu.core.scope import has_permission
from kepu.core.views.common import form_page, permission_required, submit_form
from kepu.emergency.forms.answers import AnswerForm
from kepu.emergency.permissions import get_incident_for_user
from kepu.emergency.services.answers import publish_answer
from kepu.emergency.services.review import incident_review


@require_safe
@permission_required("emergency.incident.view")
def incident_report(request, pk):
    incident = get_incident_for_user(request.user, pk)
    return render(
        request,
        "emergency/incident_report.html",
        {
            "incident": incident,
            "review": incident_review(incident),
            "can_answer": has_permission(request.user, "emergency.expertanswer.create"),
        },
    )


@require_safe
@permission_required("emergency.incident.export")
def incident_report_pdf(request, pk):
    """One A4 document made in the request (one PDF in the request, batches in a job)."""
    incident = get_incident_for_user(request.user, pk, "export")
    review = incident_review(incident)
    audit.record(
        "emergency.incident.report_exported",
        obj=incident,
        actor=request.user,
        detail={"format": "pdf"},
    )
    content = render_pdf(
        "emergency/pdf/incident_report.html",
        {
            "incident": incident,
            "review": review,
            "title": _("Review report: %(title)s") % {"title": incident.title},
            "issuer": incident.region.name,
            "issued_on": formats.date_format(clock.today(), "DATE_FORMAT"),
        },
    )
    return pdf_response(content, f"incident-review-{incident.pk}-{clock.today():%Y%m%d}.pdf")


@permission_required("emergency.expertanswer.create")
def answer_create(request, pk):
    # Answers are published by the incident's own officers (not those who only read it).
    incident = get_incident_for_user(request.user, pk, "change")
    form = AnswerForm(request.POST or None, incident=incident)
    public_url = reverse("emergency:public_incident_detail", args=[incident.pk])
    done = submit_form(
        request,
        form,
        lambda: publish_answer(incident, actor=request.user, **form.cleaned_data),
        success=public_url + "#answers",
        message=_("Answer published."),
    )
    return done or form_page(request, "emergency/answer_form.html", form, {"incident": incident})
