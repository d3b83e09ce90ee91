"""Pages of the rubric engine: the list with filters and its export, a rubric with its
criteria grouped, their bands in words and a "try it" form, a new rubric (empty or from a
preset), a draft's criteria (add, edit, delete), put in use, copy, retire."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.errors import DomainError
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import allowed_regions, has_permission, visible_to
from kepu.core.views.common import (
    add_errors,
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.rubrics import choices as c
from kepu.rubrics import engine, presets, services
from kepu.rubrics.filters import RubricFilter
from kepu.rubrics.forms import CriterionForm, RubricForm, TryForm
from kepu.rubrics.models import Rubric
from kepu.rubrics.permissions import get_criterion_for_user, get_rubric_for_user

DETAIL = "rubrics:rubric_detail"
STATUS_BADGES = {
    c.RubricStatus.DRAFT: "bg-yellow-lt",
    c.RubricStatus.IN_USE: "bg-green-lt",
    c.RubricStatus.RETIRED: "bg-secondary-lt",
}


def _filtered(request):
    queryset = visible_to(request.user, Rubric.objects.select_related("region"))
    filterset = RubricFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Rubric, "view", required=False)
    return filterset


@require_safe
@permission_required("rubrics.rubric.view")
def rubric_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Rubric.objects.none()
    page = paginate(request, queryset.order_by("-created_at", "-pk"))
    for rubric in page:
        rubric.badge = STATUS_BADGES.get(rubric.status, "bg-blue-lt")
    return render(
        request,
        "rubrics/rubric_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "rubrics.rubric.create"),
            "can_export": has_permission(request.user, "rubrics.rubric.export"),
        },
    )


@exports.builder("rubrics.rubric", permission="rubrics.rubric.export", back="rubrics:rubric_list")
def rubric_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export")
    return exports.Rows(
        queryset=queryset.order_by("-created_at", "-pk"),
        action="rubrics.rubric.exported",
        title=_("Scoring rubrics"),
        columns=[
            Column("name", _("Name"), width=40),
            Column("purpose", _("Purpose"), width=24),
            Column("region", _("Owner region"), width=16),
            Column("status", _("Status"), width=10),
            Column("created_at", _("Created at"), width=12),
        ],
        to_values=lambda r: [
            r.name,
            r.get_purpose_display(),
            r.region.name,
            r.get_status_display(),
            r.created_at.date().isoformat(),
        ],
        basename="rubrics",
    )


@require_safe
@permission_required("rubrics.rubric.export")
def rubric_export(request):
    return export_list(request, "rubrics.rubric")


def _groups(criteria):
    """[(group, [criteria])] in the rubric's order, each criterion with its bands in words."""
    groups: list = []
    for criterion in criteria:
        criterion.band_words = [
            (engine.band_label(band, criterion.unit), band.get("share"))
            for band in criterion.bands or []
        ]
        source = engine.get_source(criterion.source) if criterion.source else None
        criterion.source_label = source.label if source else criterion.source
        if not groups or groups[-1][0] != criterion.group:
            groups.append((criterion.group, []))
        groups[-1][1].append(criterion)
    return groups


def _problems(rubric) -> list[str]:
    try:
        engine.validate(rubric)
    except DomainError as exc:
        return exc.messages
    return []


def _try(request, rubric, criteria):
    """The "try it" form (GET, nothing is written) and its result when it was sent."""
    if "try" not in request.GET:
        return TryForm(criteria=criteria), None
    form = TryForm(request.GET, criteria=criteria)
    if not form.is_valid():
        return form, None
    values = {code: v for code, v in form.cleaned_data.items() if v is not None}
    try:
        return form, engine.evaluate(rubric, values, strict=False)
    except DomainError as exc:
        add_errors(form, exc)
        return form, None


@require_safe
@permission_required("rubrics.rubric.view")
def rubric_detail(request, pk):
    rubric = get_rubric_for_user(request.user, pk)
    user = request.user
    criteria = list(rubric.criteria.order_by("position", "pk"))
    total = sum((cr.weight for cr in criteria), Decimal(0))
    draft = rubric.is_editable()
    editable = draft and scope.can(user, rubric, "change")
    try_form, result = _try(request, rubric, criteria)
    bands = []
    for i, band in enumerate(rubric.grade_bands):
        upper = rubric.grade_bands[i - 1]["min"] if i else None
        bands.append((c.Grade(band["grade"]).label, band["min"], upper))
    return render(
        request,
        "rubrics/rubric_detail.html",
        {
            "rubric": rubric,
            "badge": STATUS_BADGES.get(rubric.status, "bg-blue-lt"),
            "groups": _groups(criteria),
            "criteria_count": len(criteria),
            "total": total,
            "total_ok": total == c.TOTAL,
            "grade_bands": bands,
            "problems": _problems(rubric) if draft else [],
            "can_edit": editable,
            "can_activate": draft and scope.can(user, rubric, "activate"),
            "can_retire": rubric.status == c.RubricStatus.IN_USE
            and scope.can(user, rubric, "change"),
            "can_copy": has_permission(user, "rubrics.rubric.copy")
            and allowed_regions(user, Rubric, "create").exists(),
            "try_form": try_form,
            "result": result,
        },
    )


@permission_required("rubrics.rubric.create")
def rubric_create(request):
    form = RubricForm(request.POST or None, user=request.user)

    def run():
        data = form.cleaned_data
        preset = presets.PRESETS.get(data["preset"])
        return services.create_rubric(
            actor=request.user,
            name=data["name"],
            purpose=data["purpose"],
            region=data["region"],
            description=data["description"],
            criteria=preset() if preset else (),
        )

    done = submit_form(
        request,
        form,
        run,
        success=lambda rubric: reverse(DETAIL, args=[rubric.pk]),
        message=_("Rubric created as a draft."),
        fallback=reverse("rubrics:rubric_list"),
    )
    return done or form_page(request, "rubrics/rubric_form.html", form)


def _criterion_page(request, rubric, form, criterion=None):
    return form_page(
        request,
        "rubrics/criterion_form.html",
        form,
        {"rubric": rubric, "criterion": criterion, "draft": rubric.is_editable()},
    )


@permission_required("rubrics.rubric.change")
def criterion_create(request, pk):
    rubric = get_rubric_for_user(request.user, pk, "change")
    form = CriterionForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.save_criterion(rubric, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[rubric.pk]),
        message=_("Criterion saved."),
    )
    return done or _criterion_page(request, rubric, form)


@permission_required("rubrics.rubric.change")
def criterion_update(request, pk):
    criterion = get_criterion_for_user(request.user, pk, "change")
    rubric = criterion.rubric
    form = CriterionForm(request.POST or None, criterion=criterion)
    done = submit_form(
        request,
        form,
        lambda: services.save_criterion(
            rubric, actor=request.user, criterion=criterion, **form.service_fields()
        ),
        success=reverse(DETAIL, args=[rubric.pk]),
        message=_("Criterion saved."),
    )
    return done or _criterion_page(request, rubric, form, criterion)


@require_POST
@permission_required("rubrics.rubric.change")
def criterion_delete(request, pk):
    criterion = get_criterion_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.delete_criterion(criterion, actor=request.user),
        back=reverse(DETAIL, args=[criterion.rubric_id]),
        message=_("Criterion deleted."),
    )


@require_POST
@permission_required("rubrics.rubric.activate")
def rubric_activate(request, pk):
    rubric = get_rubric_for_user(request.user, pk, "activate")
    return run_step(
        request,
        lambda: services.activate_rubric(rubric, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("The rubric is in use."),
    )


@require_POST
@permission_required("rubrics.rubric.change")
def rubric_retire(request, pk):
    rubric = get_rubric_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.retire_rubric(rubric, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("The rubric is retired."),
    )


@require_POST
@permission_required("rubrics.rubric.copy")
def rubric_copy(request, pk):
    """A draft copy for the user's own (top) region, where they may change it."""
    rubric = get_rubric_for_user(request.user, pk)
    regions = allowed_regions(request.user, Rubric, "create")
    roots = [r for r in scope.scope_roots(request.user) if regions.filter(pk=r.pk).exists()]
    if not roots:
        raise PermissionDenied
    form = forms.Form(request.POST)
    done = submit_form(
        request,
        form,
        lambda: services.copy_rubric(rubric, actor=request.user, region=roots[0]),
        success=lambda copy: reverse(DETAIL, args=[copy.pk]),
        message=_("Copied as a draft: change it here, then put it in use."),
        fallback=reverse(DETAIL, args=[pk]),
    )
    if done is None:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return redirect(DETAIL, pk=pk)
    return done
