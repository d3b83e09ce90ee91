"""The registry pages: list with search and export, detail, create, edit, reveal, erase,
and the per-person actions (registrations, pools, teams, training, credits, honours)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.forms import region_field
from kepu.core.pagination import capped_count
from kepu.core.scope import has_permission, visible_to
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
from kepu.people import services
from kepu.people.filters import FILTERED_COUNT_CAP, PersonFilter
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
from kepu.people.stats import registry_count

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
    unfiltered = not any(request.GET.get(name) for name in filterset.filters)
    return render(
        request,
        "people/person_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset, count=_counter(user, queryset, unfiltered)),
            "query": query_without_page(request),
            # The rows' links: one reverse for the page, not one per row.
            "detail_prefix": reverse("people:person_detail", args=[0]).removesuffix("0/"),
            "can_create": has_permission(user, "people.person.create"),
            "can_import": has_permission(user, "people.person.import"),
            "can_export": has_permission(user, "people.person.export"),
            "can_export_full": has_permission(user, "people.person.reveal")
            and has_permission(user, "people.person.export"),
        },
    )


def _counter(user, queryset, unfiltered):
    """The list header: the whole registry from the counters; a search or a filter
    counted up to FILTERED_COUNT_CAP rows ("1,000+"), which a frequent term reaches
    after a few thousand rows where the general cap took tens of thousands."""
    if unfiltered:
        return lambda: registry_count(user)
    return lambda: capped_count(queryset, FILTERED_COUNT_CAP)


@exports.builder("people.person", permission="people.person.export", back="people:person_list")
def person_export_rows(request):
    """The registry as the list shows it. Masked by default; `full=1` needs the reveal
    permission (in the scope of each row written) and its `reason` goes to the audit."""
    full = request.GET.get("full") == "1"
    if full and not has_permission(request.user, "people.person.reveal"):
        raise PermissionDenied
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export")
    if full:
        queryset = visible_to(request.user, queryset, "reveal")
    reason = request.GET.get("reason", "").strip()
    return exports.Rows(
        queryset=queryset.prefetch_related("registrations").order_by("region__code", "pk"),
        action="people.person.exported_full" if full else "people.person.exported",
        title=_("People"),
        columns=person_export_columns(full),
        to_values=person_export_values(full),
        basename="people-full" if full else "people",
        detail={"reason": reason[:300]} if full else None,
    )


@require_safe
@permission_required("people.person.export")
def person_export(request):
    """Masked by default. `?full=1` needs the reveal permission (the same one as showing a
    full number on a page) and a `reason`, which the audit entry records."""
    full = request.GET.get("full") == "1"
    if full and not has_permission(request.user, "people.person.reveal"):
        raise PermissionDenied
    if full and len(request.GET.get("reason", "").strip()) < 4:
        messages.error(request, _("Give the reason for exporting full numbers."))
        return redirect("people:person_list")
    return export_list(request, "people.person")


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
    context.update(extra)
    return context


@require_safe
@permission_required("people.person.change")
def person_records(request, pk):
    """The forms that add to a person's records (a registration, a pool, a team, training,
    credits, an honour): a page of their own, so that the person's page, read far more
    often, builds no form and no list of pools or teams."""
    person = get_person_for_user(request.user, pk, "change")
    if person.is_erased:
        raise PermissionDenied
    user = request.user
    context = {
        "person": person,
        "registration_form": RegistrationForm(),
        "pool_form": PoolMemberForm(user=user),
        "team_form": TeamMemberForm(user=user),
        "record_forms": {k: f(prefix=k) for k, f in RECORD_FORMS.items()},
    }
    return render(request, "people/person_records.html", context)


@permission_required("people.person.create")
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user, action="create")
    response = submit_form(
        request,
        form,
        lambda: services.create_person(actor=request.user, **form.service_fields()),
        success=lambda person: reverse("people:person_detail", args=[person.pk]),
        message=lambda person: _("“%(name)s” added to the registry.") % {"name": person},
        fallback=reverse("people:person_list"),
    )
    return response or form_page(request, "people/person_form.html", form)


@permission_required("people.person.change")
def person_update(request, pk):
    person = get_person_for_user(request.user, pk, "change")
    form = PersonForm(request.POST or None, instance=person, user=request.user, action="change")
    response = submit_form(
        request,
        form,
        lambda: services.update_person(person, actor=request.user, **form.service_fields()),
        success=reverse("people:person_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return response or form_page(request, "people/person_form.html", form, {"person": person})


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
    return run_step(
        request,
        lambda: services.erase_person(
            person, actor=request.user, reason=request.POST.get("reason", "")
        ),
        back=reverse("people:person_detail", args=[pk]),
        message=_("The personal information has been erased."),
    )


def _person_step(request, pk, form, run, message):
    """A step on the person's page (add a registration, a pool, a team, a record): the
    form is checked, then the service runs once per form token; back to the records."""
    person = get_person_for_user(request.user, pk, "change")

    def step():
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        return run(person, form.cleaned_data)

    back = f"{reverse('people:person_detail', args=[pk])}#records"
    return run_step(request, step, back=back, message=message)


@require_POST
@permission_required("people.registration.create")
def registration_add(request, pk):
    return _person_step(
        request,
        pk,
        RegistrationForm(request.POST),
        lambda person, data: services.add_registration(person, actor=request.user, **data),
        _("Registration added."),
    )


@require_POST
@permission_required("people.poolmembership.create")
def pool_member_add(request, pk):
    return _person_step(
        request,
        pk,
        PoolMemberForm(request.POST, user=request.user),
        lambda person, data: services.add_pool_member(
            data["pool"],
            person,
            actor=request.user,
            topics=data["topics"],
            term_end=data["term_end"],
        ),
        _("Added to the expert pool."),
    )


@require_POST
@permission_required("people.teammembership.create")
def team_member_add(request, pk):
    return _person_step(
        request,
        pk,
        TeamMemberForm(request.POST, user=request.user),
        lambda person, data: services.add_team_member(data["team"], person, actor=request.user),
        _("Added to the team."),
    )


@require_POST
@permission_required("people.person.change")
def record_add(request, pk, kind):
    form_class = RECORD_FORMS.get(kind)
    if form_class is None or not has_permission(
        request.user, f"people.{form_class._meta.model._meta.model_name}.create"
    ):
        raise PermissionDenied
    return _person_step(
        request,
        pk,
        form_class(request.POST, prefix=kind),
        lambda person, data: services.add_record(kind, person, actor=request.user, **data),
        _("Record added."),
    )
