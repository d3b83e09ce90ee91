"""The review queue: officers certify or reject registrations in their region."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import scope, workflow
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
)
from kepu.people import rollups as counters
from kepu.people import services
from kepu.people.choices import RegistrationKind, RegistrationStatus
from kepu.people.filters import RegistrationFilter
from kepu.people.forms import RejectForm
from kepu.people.models import Registration
from kepu.people.permissions import get_registration_for_user
from kepu.people.stats import counted


@require_safe
@permission_required("people.registration.view")
def registration_list(request):
    params = request.GET.copy()
    params.setdefault("status", RegistrationStatus.PENDING)
    queryset = visible_to(request.user, Registration.objects.with_relations())
    filterset = RegistrationFilter(params, queryset=queryset, request=request)
    filterset.form.fields["region"] = region_field(
        request.user, Registration, "view", required=False
    )
    usable = filter_is_usable(filterset)
    rows = filterset.qs if usable else Registration.objects.none()
    page = paginate(
        request, rows, count=(lambda: _queue_count(request.user, filterset)) if usable else None
    )
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
    # Four-eyes: where the officer's own filing waits for a colleague, say so on the row.
    held_back = {
        r.pk
        for r in page
        if r.status == "pending" and r.pk not in reviewable and r.submitted_by_id == request.user.pk
    }
    return render(
        request,
        "people/registration_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "reviewable": reviewable,
            "held_back": held_back if workflow.four_eyes_on("registrations") else set(),
            "held_back_note": workflow.four_eyes_message(),
            # The rows' links and actions: one reverse per page, not three per row.
            "person_prefix": reverse("people:person_detail", args=[0]).removesuffix("0/"),
            "review_prefix": reverse("people:registration_certify", args=[0]).removesuffix(
                "0/certify/"
            ),
            "reject_form": RejectForm(),
        },
    )


def _queue_count(user, filterset):
    """The queue's header from the registry's counters (status and kind are counter
    keys; a region of county level or above is a counter's subtree)."""
    data = filterset.form.cleaned_data
    status = data.get("status")
    if not status or data.get("awaiting"):
        return None
    kinds = [data["kind"]] if data.get("kind") else RegistrationKind.values
    region = data.get("region") or None
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
        if region is None:
            return None
    own = Registration.objects.filter(person__user=user, status=status, kind__in=kinds).values_list(
        "region__path", flat=True
    )
    keys = [counters.registration_key(kind, status) for kind in kinds]
    return counted(
        user, Registration, counters.REGISTRATIONS, keys=keys, region=region, own_paths=own
    )


def _back(request) -> str:
    """Back to the page the button was on (a local path), else the queue."""
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return reverse("people:registration_list")


@require_POST
@permission_required("people.registration.review")
def registration_certify(request, pk):
    registration = get_registration_for_user(request.user, pk, "review")
    return run_step(
        request,
        lambda: services.certify_registration(registration, actor=request.user),
        back=_back(request),
        message=_("%(name)s is certified.") % {"name": registration.person},
    )


@require_POST
@permission_required("people.registration.review")
def registration_reject(request, pk):
    registration = get_registration_for_user(request.user, pk, "review")
    return run_step(
        request,
        lambda: services.reject_registration(
            registration, actor=request.user, reason=request.POST.get("reason", "")
        ),
        back=_back(request),
        message=_("The application was rejected."),
    )
