"""The registry pages: list with search and export, detail, create, edit, reveal, erase,
and the per-person actions (registrations, pools, teams, training, credits, honours)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import idempotency, scope
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    add_errors,
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
)
from kepu.people import services
from kepu.people.filters import PersonFilter
from kepu.people.forms import (
    CreditForm,
    EraseForm,
    HonourForm,
    PersonForm,
    PoolMemberForm,
    RegistrationForm,
    RevealForm,
    TeamMemberForm,
    TrainingForm,
)
from kepu.people.io import person_export_columns, person_export_values
from kepu.people.models import Person
from kepu.people.permissions import get_person_for_user

RECORD_FORMS = {"training": TrainingForm, "credit": CreditForm, "honour": HonourForm}


def _filtered(request):
    queryset = visible_to(request.user, Person.objects.live().with_relations())
    filterset = PersonFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Person, "view", required=False)
    return filterset


@require_safe
@permission_required("people.person.view")
def person_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Person.objects.none()
    user = request.user
    return render(
        request,
        "people/person_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "can_create": has_permission(user, "people.person.create"),
            "can_import": has_permission(user, "people.person.import"),
            "can_export": has_permission(user, "people.person.export"),
            "can_export_full": has_permission(user, "people.person.reveal")
            and has_permission(user, "people.person.export"),
        },
    )


@require_safe
@permission_required("people.person.export")
def person_export(request):
    """Masked by default. `?full=1` needs the reveal permission (the same one as showing a
    full number on a page) and a `reason`, which the audit entry records."""
    full = request.GET.get("full") == "1"
    if full and not has_permission(request.user, "people.person.reveal"):
        raise PermissionDenied
    reason = request.GET.get("reason", "").strip()
    if full and len(reason) < 4:
        messages.error(request, _("Give the reason for exporting full numbers."))
        return redirect("people:person_list")
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return redirect(f"{reverse('people:person_list')}?{request.GET.urlencode()}")
    queryset = visible_to(request.user, filterset.qs, "export")
    if full:
        queryset = visible_to(request.user, queryset, "reveal")
    queryset = queryset.prefetch_related("registrations")
    return export_list(
        request,
        queryset=queryset.order_by("region__code", "pk"),
        action="people.person.exported_full" if full else "people.person.exported",
        title=_("People"),
        columns=person_export_columns(full),
        to_values=person_export_values(full),
        basename="people-full" if full else "people",
        detail={"reason": reason[:300]} if full else None,
    )


@require_safe
@permission_required("people.person.view")
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


def _detail_context(request, person, **extra):
    user = request.user
    context = {
        "person": person,
        "registrations": person.registrations.select_related("region", "reviewed_by"),
        "pools": person.pool_memberships.select_related("pool").prefetch_related("topics"),
        "teams": person.team_memberships.select_related("team"),
        "trainings": person.trainings.all(),
        "credits": person.credits.all(),
        "honours": person.honours.all(),
        "can_change": not person.is_erased and scope.can(user, person, "change"),
        "can_reveal": scope.can(user, person, "reveal"),
        "can_erase": scope.can(user, person, "erase"),
        "reveal_form": RevealForm(),
        "erase_form": EraseForm(),
    }
    if context["can_change"]:
        context.update(
            registration_form=RegistrationForm(),
            pool_form=PoolMemberForm(user=user),
            team_form=TeamMemberForm(user=user),
            record_forms={k: f(prefix=k) for k, f in RECORD_FORMS.items()},
        )
    context.update(extra)
    return context


@permission_required("people.person.create")
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user, action="create")
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or "people:person_list")
        try:
            person = services.create_person(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("people:person_detail", args=[person.pk])
            idempotency.remember(request, url)
            messages.success(request, _("“%(name)s” added to the registry.") % {"name": person})
            return redirect(url)
    return render(
        request, "people/person_form.html", {"form": form, "form_token": idempotency.new_token()}
    )


@permission_required("people.person.change")
def person_update(request, pk):
    person = get_person_for_user(request.user, pk, "change")
    form = PersonForm(request.POST or None, instance=person, user=request.user, action="change")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person_detail", pk=pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@never_cache
@require_POST
@permission_required("people.person.reveal")
def person_reveal(request, pk):
    """Show the full ID and phone number once, after a reason is given (audited)."""
    person = get_person_for_user(request.user, pk, "reveal")
    form = RevealForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, person, reveal_form=form)
        return render(request, "people/person_detail.html", context, status=400)
    values = services.reveal(person, actor=request.user, reason=form.cleaned_data["reason"])
    return render(
        request, "people/person_detail.html", _detail_context(request, person, revealed=values)
    )


@require_POST
@permission_required("people.person.erase")
def person_erase(request, pk):
    person = get_person_for_user(request.user, pk, "erase")
    form = EraseForm(request.POST)
    if form.is_valid():
        services.erase_person(person, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The personal information has been erased."))
    else:
        messages.error(request, _("Give the reason for erasing (e.g. the request's reference)."))
    return redirect("people:person_detail", pk=pk)


def _person_action(request, pk, handler):
    person = get_person_for_user(request.user, pk, "change")
    try:
        handler(person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('people:person_detail', args=[pk])}#records")


def _form_error(request, form):
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))


@require_POST
@permission_required("people.registration.create")
def registration_add(request, pk):
    def handle(person):
        form = RegistrationForm(request.POST)
        if not form.is_valid():
            return _form_error(request, form)
        services.add_registration(person, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Registration added."))

    return _person_action(request, pk, handle)


@require_POST
@permission_required("people.poolmembership.create")
def pool_member_add(request, pk):
    def handle(person):
        form = PoolMemberForm(request.POST, user=request.user)
        if not form.is_valid():
            return _form_error(request, form)
        data = form.cleaned_data
        services.add_pool_member(
            data["pool"],
            person,
            actor=request.user,
            topics=data["topics"],
            term_end=data["term_end"],
        )
        messages.success(request, _("Added to the expert pool."))

    return _person_action(request, pk, handle)


@require_POST
@permission_required("people.teammembership.create")
def team_member_add(request, pk):
    def handle(person):
        form = TeamMemberForm(request.POST, user=request.user)
        if not form.is_valid():
            return _form_error(request, form)
        services.add_team_member(form.cleaned_data["team"], person, actor=request.user)
        messages.success(request, _("Added to the team."))

    return _person_action(request, pk, handle)


@require_POST
@permission_required("people.person.change")
def record_add(request, pk, kind):
    form_class = RECORD_FORMS.get(kind)
    if form_class is None or not has_permission(
        request.user, f"people.{form_class._meta.model._meta.model_name}.create"
    ):
        raise PermissionDenied

    def handle(person):
        form = form_class(request.POST, prefix=kind)
        if not form.is_valid():
            return _form_error(request, form)
        services.add_record(kind, person, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Record added."))

    return _person_action(request, pk, handle)
