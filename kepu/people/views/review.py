"""The review queue: officers certify or reject registrations in their region."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import scope
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
)
from kepu.people import services
from kepu.people.choices import RegistrationStatus
from kepu.people.filters import RegistrationFilter
from kepu.people.forms import RejectForm
from kepu.people.models import Registration
from kepu.people.permissions import get_registration_for_user


@require_safe
@permission_required("people.registration.view")
def registration_list(request):
    params = request.GET.copy()
    params.setdefault("status", RegistrationStatus.PENDING)
    queryset = visible_to(request.user, Registration.objects.with_relations())
    filterset = RegistrationFilter(params, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, Registration, "view", required=False
    )
    rows = filterset.qs if filter_is_usable(filterset) else Registration.objects.none()
    page = paginate(request, rows)
    reviewable = set()
    if has_permission(request.user, "people.registration.review"):
        # The rows of this page the user may review: scope and the object rules (not
        # one's own registration), in one query.
        reviewable = set(
            scope.actionable(
                request.user,
                Registration.objects.filter(pk__in=[r.pk for r in page], status="pending"),
                "review",
            ).values_list("pk", flat=True)
        )
    return render(
        request,
        "people/registration_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "reviewable": reviewable,
            "reject_form": RejectForm(),
        },
    )


def _review(request, pk, do):
    registration = get_registration_for_user(request.user, pk, "review")
    try:
        do(registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("people:registration_list")


@require_POST
@permission_required("people.registration.review")
def registration_certify(request, pk):
    def do(registration):
        services.certify_registration(registration, actor=request.user)
        messages.success(request, _("%(name)s is certified.") % {"name": registration.person})

    return _review(request, pk, do)


@require_POST
@permission_required("people.registration.review")
def registration_reject(request, pk):
    def do(registration):
        form = RejectForm(request.POST)
        reason = form.data.get("reason", "")
        services.reject_registration(registration, actor=request.user, reason=reason)
        messages.success(request, _("The application was rejected."))

    return _review(request, pk, do)
