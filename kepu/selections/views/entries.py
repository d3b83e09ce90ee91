"""Pages of entries (calls and entries area): the list and its export, the nomination
form per route with the people search, the detail with its history, completion after a
return, withdrawal, materials, and the formal check with its queue."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import AuditEntry
from kepu.core.scope import has_permission, visible_to
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
from kepu.core.workflow import held_back
from kepu.selections import choices as c
from kepu.selections.filters.calls import EntryFilter
from kepu.selections.forms.calls import CheckForm, CompleteForm, EntryForm
from kepu.selections.models import Entry
from kepu.selections.permissions import get_call_for_user, get_entry_for_user
from kepu.selections.services import entries as services

ENTRY = "selections:entry_detail"
SEARCH_LIMIT = 10


def _filtered(request):
    queryset = visible_to(request.user, Entry.objects.for_list(), public=False)
    filterset = EntryFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Entry, "view", required=False)
    return filterset


@require_safe
@permission_required("selections.entry.view")
def entry_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "selections.entry")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Entry.objects.none()
    return render(
        request,
        "selections/entry_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-submitted_at", "-pk")),
            "query": query_without_page(request),
            "can_export": has_permission(request.user, "selections.entry.export"),
        },
    )


def _values(entry):
    return [
        entry.call.title, entry.title, entry.category_label(), entry.region.name,
        entry.get_route_display(), entry.rank, entry.get_status_display(),
        timezone.localtime(entry.submitted_at).strftime("%Y-%m-%d %H:%M"),
    ]  # fmt: skip


@exports.builder(
    "selections.entry", permission="selections.entry.export", back="selections:entry_list"
)
def entry_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-submitted_at", "-pk"),
        action="selections.entry.exported",
        title=_("Entries"),
        columns=[
            Column("call", _("Call"), width=30),
            Column("title", _("Name or title"), width=30),
            Column("category", _("Category"), width=14),
            Column("region", _("Region"), width=14),
            Column("route", _("Route"), width=16),
            Column("rank", _("Rank in the recommendation"), width=8),
            Column("status", _("Status"), width=18),
            Column("submitted", _("Submitted at"), width=18),
        ],
        to_values=_values,
        basename="entries",
    )


def available_routes(user, call) -> list[str]:
    """The call's routes open to `user`: region recommendation for officers below the
    call's region, unit recommendation for member-unit staff, self-application for a
    registered person with an account."""
    from kepu.people.models import Person

    can = {
        c.Route.REGION: lambda: any(
            r.path.startswith(call.region.path) and r.path != call.region.path
            for r in scope.scope_roots(user)
        ),
        c.Route.UNIT: lambda: bool(scope.member_units(user, Entry, "create")),
        c.Route.SELF: lambda: Person.objects.filter(user=user).exists(),
    }
    return [r for r in call.routes or [] if r in can and can[r]()]


def _people_found(request, call):
    """The people search of the nomination page (within the user's scope)."""
    from kepu.core.search import search
    from kepu.people.models import Person

    q = (request.GET.get("q") or "").strip()[:40]
    if not q or call.subject_kind != c.SubjectKind.PERSON:
        return q, []
    people = visible_to(request.user, Person.objects.select_related("region", "organization"))
    people = search(people.filter(erased_at__isnull=True), q, fields=Person.SEARCH_FIELDS)
    return q, list(people.order_by("pk")[:SEARCH_LIMIT])


@permission_required("selections.entry.create")
def entry_create(request, pk):
    call = get_call_for_user(request.user, pk)
    if not call.is_open_on(clock.today()):
        raise Http404
    routes = available_routes(request.user, call)
    if not routes:
        raise Http404
    chosen = None
    person_pk = str(request.POST.get("person") or request.GET.get("person") or "")
    person_pk = person_pk if person_pk.isdigit() and len(person_pk) < 13 else ""
    form = EntryForm(
        request.POST or None, request.FILES or None, user=request.user, call=call, routes=routes,
        initial={"person": person_pk} if person_pk and not request.POST else None,
    )  # fmt: skip
    if person_pk:
        from kepu.people.models import Person

        chosen = visible_to(request.user, Person).filter(pk=person_pk).first()
    done = submit_form(
        request,
        form,
        lambda: services.nominate(call, actor=request.user, **form.service_fields()),
        success=lambda entry: reverse(ENTRY, args=[entry.pk]),
        message=_("Entry submitted. It now awaits the formal check."),
        fallback=reverse("selections:call_detail", args=[pk]),
    )
    q, found = _people_found(request, call)
    return done or form_page(
        request,
        "selections/entry_form.html",
        form,
        {"call": call, "q": q, "found": found, "chosen": chosen,
         "self_only": routes == [c.Route.SELF]},
    )  # fmt: skip


def history(obj) -> list:
    return list(
        AuditEntry.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("created_at", "pk")[:100]
    )


@require_safe
@permission_required("selections.entry.view")
def entry_detail(request, pk):
    entry = get_entry_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "selections/entry_detail.html",
        {
            "entry": entry,
            "members": entry.members.select_related("person"),
            "materials": entry.materials.all(),
            "history": history(entry),
            "can_withdraw": entry.can_withdraw() and scope.can(user, entry, "withdraw"),
            "can_complete": entry.can_complete()
            and entry.call.status in services.CHECKING_STATUSES
            and scope.can(user, entry, "create"),
            "can_check": services.can_check(user, entry),
            "held_back": held_back(user, entry, "check"),
        },
    )


@require_POST
@permission_required("selections.entry.withdraw")
def entry_withdraw(request, pk):
    entry = get_entry_for_user(request.user, pk, "withdraw")
    return run_step(
        request,
        lambda: services.withdraw_entry(entry, actor=request.user),
        back=reverse(ENTRY, args=[pk]),
        message=_("Entry withdrawn."),
    )


@permission_required("selections.entry.create")
def entry_complete(request, pk):
    entry = get_entry_for_user(request.user, pk, "create")
    form = CompleteForm(request.POST or None, request.FILES or None, entry=entry)
    done = submit_form(
        request,
        form,
        lambda: services.complete_entry(entry, actor=request.user, **form.service_fields()),
        success=reverse(ENTRY, args=[pk]),
        message=_("Entry completed and submitted again."),
    )
    return done or form_page(request, "selections/entry_complete.html", form, {"entry": entry})


@require_safe
@permission_required("selections.entry.view")
def entry_material(request, pk, mid):
    entry = get_entry_for_user(request.user, pk)
    material = entry.materials.filter(pk=mid).first()
    if material is None:
        raise Http404
    audit.record(
        "selections.entrymaterial.downloaded", obj=material, actor=request.user,
        detail={"entry": entry.pk}, region_code=entry.region.code,
    )  # fmt: skip
    return file_response(
        material.file, content_type=material.content_type, name=material.name, download=True
    )


@require_safe
@permission_required("selections.entry.check")
def check_queue(request):
    rows = services.awaiting_check(request.user, Entry.objects.for_list())
    return render(
        request,
        "selections/check_queue.html",
        {"page": paginate(request, rows.order_by("-submitted_at", "-pk"))},
    )


@permission_required("selections.entry.check")
def entry_check(request, pk):
    entry = get_entry_for_user(request.user, pk, "check")
    get_call_for_user(request.user, entry.call_id, "advance")  # the call's own officers
    form = CheckForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.check_entry(entry, actor=request.user, **form.cleaned_data),
        success=reverse(ENTRY, args=[pk]),
        message=_("Formal check recorded."),
    )
    return done or form_page(
        request, "selections/entry_check.html", form,
        {"entry": entry, "materials": entry.materials.all()},
    )  # fmt: skip
