"""The contact-and-service list of high-level talents (高层次人才联系服务, seed 000 (六)):
the list with its reminders (not contacted for N months), a talent's page with the
service log, and the export."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import get_for_user, has_permission, visible_to
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
from kepu.people.models import HighLevelTalent, ServiceRecord
from kepu.people.talents import services
from kepu.people.talents.choices import CONTACT_EVERY_MONTHS
from kepu.people.talents.filters import TalentFilter
from kepu.people.talents.forms import ServiceForm, TalentEditForm, TalentForm

T = "people.highleveltalent"


def get_talent_for_user(user, pk, action="view") -> HighLevelTalent:
    return get_for_user(HighLevelTalent.objects.with_relations(), user, pk, action)


def _filtered(request):
    queryset = visible_to(
        request.user, HighLevelTalent.objects.with_relations().filter(is_active=True)
    )
    filterset = TalentFilter(request.GET or None, queryset=queryset, request=request)
    filterset.form.fields["region"] = region_field(
        request.user, HighLevelTalent, "view", required=False
    )
    return filterset


@require_safe
@permission_required(f"{T}.view")
def talent_list(request):
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else HighLevelTalent.objects.none()
    return render(
        request,
        "people/talent_list.html",
        {
            "filter": filterset,
            # The longest without contact first (never contacted first of all).
            "page": paginate(request, rows.order_by("last_contact_on", "pk")),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, f"{T}.create"),
            "can_export": has_permission(request.user, f"{T}.export"),
            "every": CONTACT_EVERY_MONTHS,
        },
    )


@exports.builder("people.highleveltalent", permission=f"{T}.export", back="people:talent_list")
def talent_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("last_contact_on", "pk"),
        action="people.highleveltalent.exported",
        title=_("High-level talents"),
        columns=[
            Column("name", _("Full name"), width=12),
            Column("phone", _("Mobile phone (masked)"), width=14),
            Column("category", _("Category"), width=20),
            Column("region", _("Region")),
            Column("unit", _("Organization"), width=24),
            Column("title", _("Professional title")),
            Column("contact", _("Contact officer")),
            Column("last", _("Last contact")),
            Column("needs", _("Open needs"), text=False, width=8),
        ],
        to_values=lambda t: [
            t.person.name,
            t.person.phone_masked,
            str(t.get_category_display()),
            t.region.name,
            t.person.organization.name if t.person.organization_id else "",
            t.person.title,
            str(t.contact) if t.contact_id else "",
            f"{t.last_contact_on:%Y-%m-%d}" if t.last_contact_on else "",
            t.open_needs,
        ],
        basename="high-level-talents",
    )


@require_safe
@permission_required(f"{T}.export")
def talent_export(request):
    return export_list(request, "people.highleveltalent")


@permission_required(f"{T}.create")
def talent_create(request):
    form = TalentForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.add_talent(actor=request.user, **form.cleaned_data),
        success=lambda t: reverse("people:talent_detail", args=[t.pk]),
        message=lambda t: _("%(name)s is on the high-level talent list.") % {"name": t.person},
    )
    return done or form_page(request, "people/talent_form.html", form)


@permission_required(f"{T}.change")
def talent_update(request, pk):
    talent = get_talent_for_user(request.user, pk, "change")
    form = TalentEditForm(
        request.POST or None,
        user=request.user,
        initial={
            "category": talent.category,
            "contact": talent.contact_id,
            "note": talent.note,
            "is_active": talent.is_active,
        },
    )
    done = submit_form(
        request,
        form,
        lambda: services.update_talent(talent, actor=request.user, **form.cleaned_data),
        success=reverse("people:talent_detail", args=[talent.pk]),
        message=_("The entry is saved."),
    )
    return done or form_page(request, "people/talent_form.html", form, {"talent": talent})


@require_safe
@permission_required(f"{T}.view")
def talent_detail(request, pk):
    talent = get_talent_for_user(request.user, pk)
    return render(request, "people/talent_detail.html", _detail_context(request, talent))


def _detail_context(request, talent, **extra):
    user = request.user
    can_record = scope.can(user, talent, "change") and has_permission(
        user, "people.servicerecord.create"
    )
    log = visible_to(user, talent.services.select_related("recorded_by")).order_by("-date", "-pk")
    context = {
        "talent": talent,
        "person": talent.person,
        "page": paginate(request, log),
        "query": query_without_page(request),
        "can_change": scope.can(user, talent, "change"),
        "can_record": can_record,
        "service_form": ServiceForm() if can_record else None,
        "honours": list(talent.person.honours.all()[:10]),
        "pools": list(talent.person.pool_memberships.select_related("pool")[:10]),
    }
    context.update(extra)
    return context


@require_POST
@permission_required("people.servicerecord.create")
def service_add(request, pk):
    talent = get_talent_for_user(request.user, pk, "change")
    form = ServiceForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: services.record_service(talent, actor=request.user, **form.cleaned_data),
        success=reverse("people:talent_detail", args=[talent.pk]),
        message=_("The contact is recorded."),
    )
    return done or form_page(
        request,
        "people/talent_detail.html",
        form,
        _detail_context(request, talent, service_form=form),
    )


@require_POST
@permission_required("people.servicerecord.create")
def need_resolve(request, pk):
    record = get_object_or_404(
        visible_to(request.user, ServiceRecord.objects.select_related("talent"), "create"), pk=pk
    )
    return run_step(
        request,
        lambda: services.resolve_need(record, actor=request.user),
        back=reverse("people:talent_detail", args=[record.talent_id]),
        message=_("The need is marked resolved."),
    )
