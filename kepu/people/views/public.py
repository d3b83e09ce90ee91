"""Public self-registration for volunteers, experts, information officers, grid officers
and science and technology envoys (no account), with consent to the
privacy notice, and a status page the applicant reaches through a private link."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kepu.core import ratelimit
from kepu.core.views.common import form_page, submit_form
from kepu.people import services
from kepu.people.choices import KIND_MIN_LEVEL, KINDS_WITH_UNIT, RegistrationKind
from kepu.people.forms import SelfRegistrationForm
from kepu.people.models import Registration

PUBLIC_KINDS = {
    "volunteer": RegistrationKind.VOLUNTEER,
    "expert": RegistrationKind.EXPERT,
    "info-officer": RegistrationKind.INFO_OFFICER,
    "grid-officer": RegistrationKind.GRID_OFFICER,
    "tech-envoy": RegistrationKind.TECH_ENVOY,
}


def join_start(request):
    return render(request, "people/join_start.html")


@never_cache
def join_form(request, kind):
    if kind not in PUBLIC_KINDS:
        raise Http404
    form = SelfRegistrationForm(request.POST or None)
    if request.method == "POST" and not ratelimit.allow(
        request, "join", limit=20, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)

    def apply():
        data = form.cleaned_data
        return services.self_register(
            kind=PUBLIC_KINDS[kind],
            notice=form.notice,
            name=data["name"],
            doc_type=data["doc_type"],
            id_number=data["id_number"],
            phone=data["phone"],
            email=data["email"],
            region=data["region"],
            organization_name=data["organization_name"],
            specialties=data["specialties"],
            title=data["title"],
        )

    response = submit_form(
        request,
        form,
        apply,
        success=lambda registration: reverse(
            "people:join_status", args=[registration.tracking_token]
        ),
        message=_("Your application has been received."),
        fallback=reverse("people:join_start"),
    )
    context = {
        "kind": kind,
        "kind_label": PUBLIC_KINDS[kind].label,
        "notice": form.notice,
        "needs_unit": PUBLIC_KINDS[kind] in KINDS_WITH_UNIT,
        "needs_township": PUBLIC_KINDS[kind] in KIND_MIN_LEVEL,
    }
    return response or form_page(request, "people/join_form.html", form, context)


@never_cache
def join_status(request, token):
    registration = (
        Registration.objects.select_related("region", "notice").filter(tracking_token=token).first()
    )
    if registration is None:
        raise Http404
    return render(request, "people/join_status.html", {"registration": registration})
