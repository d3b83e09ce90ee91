"""Pages of the subsidy rounds: the list (filters, export), the formula form, the round's
page with the preview (every base's amount and the reason, sortable by amount) or, once
submitted, its saved lines; submit, approve (four-eyes), return, publish, and the Excel
export of the allocation with its total."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases.filters.subsidy import SubsidyRoundFilter
from kepu.bases.forms.subsidy import AdjustForm, ReasonForm, SubsidyRoundForm
from kepu.bases.models import SubsidyLine, SubsidyRound
from kepu.bases.models.subsidy import SubsidyStatus
from kepu.bases.services import subsidy as services
from kepu.core import audit, exports, scope
from kepu.core.excel import Column, Writer
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
from kepu.core.workflow import held_back
from kepu.rubrics.choices import Grade

DETAIL = "bases:subsidy_detail"
P = "bases.subsidyround"
BADGES = {
    SubsidyStatus.DRAFT: "bg-secondary-lt",
    SubsidyStatus.SUBMITTED: "bg-yellow-lt",
    SubsidyStatus.APPROVED: "bg-green-lt",
    SubsidyStatus.PUBLISHED: "bg-blue-lt",
}
SORTS = {"amount": "amount", "-amount": "-amount", "name": "name"}
LINES_PER_PAGE = 50


def get_subsidy_round_for_user(user, pk, action="view") -> SubsidyRound:
    return get_for_user(SubsidyRound.objects.with_relations(), user, pk, action, public=False)


def _filtered(request):
    queryset = visible_to(request.user, SubsidyRound.objects.with_relations(), public=False)
    filterset = SubsidyRoundFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, SubsidyRound, "view", required=False
    )
    return filterset


@require_safe
@permission_required(f"{P}.view")
def subsidy_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else SubsidyRound.objects.none()
    page = paginate(request, queryset.order_by("-year", "-pk"))
    for rnd in page:
        rnd.badge = BADGES.get(rnd.status, "")
    return render(
        request,
        "bases/subsidy_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(request.user, f"{P}.create"),
            "can_export": has_permission(request.user, f"{P}.export"),
        },
    )


@exports.builder("bases.subsidyround", permission=f"{P}.export", back="bases:subsidy_list")
def subsidy_list_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-year", "-pk"),
        action="bases.subsidyround.exported",
        title=_("Subsidy rounds"),
        columns=[
            Column("name", _("Name"), width=36),
            Column("region", _("Region"), width=14),
            Column("year", _("Year evaluated"), text=False, width=10),
            Column("budget", _("Budget (yuan)"), text=False, width=14),
            Column("status", _("Status"), width=14),
        ],
        to_values=lambda r: [r.name, r.region.name, r.year, r.budget, r.get_status_display()],
        basename="subsidy-rounds",
    )


@require_safe
@permission_required(f"{P}.export")
def subsidy_list_export(request):
    return export_list(request, "bases.subsidyround")


def _form_page(request, form, rnd=None):
    return form_page(request, "bases/subsidy_form.html", form, {"round": rnd})


@permission_required(f"{P}.create")
def subsidy_create(request):
    form = SubsidyRoundForm(
        request.POST or None, region_field=region_field(request.user, SubsidyRound, "create")
    )
    done = submit_form(
        request,
        form,
        lambda: services.create_subsidy_round(
            actor=request.user, region=form.cleaned_data["region"], **form.formula()
        ),
        success=lambda rnd: reverse(DETAIL, args=[rnd.pk]),
        message=_("Subsidy round created: check the preview, then submit it."),
    )
    return done or _form_page(request, form)


@permission_required(f"{P}.change")
def subsidy_edit(request, pk):
    rnd = get_subsidy_round_for_user(request.user, pk, "change")
    if not rnd.can_change():
        messages.error(request, _("Only a draft round can be changed."))
        return redirect(DETAIL, pk=pk)
    initial = {name: getattr(rnd, name) for name in SubsidyRound.FORMULA_FIELDS}
    form = SubsidyRoundForm(request.POST or None, initial=initial)
    done = submit_form(
        request,
        form,
        lambda: services.change_subsidy_round(rnd, actor=request.user, **form.formula()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Formula saved."),
    )
    return done or _form_page(request, form, rnd)


def _sorted_preview(preview, sort):
    lines = preview.lines
    if sort == "amount":
        return sorted(lines, key=lambda x: (x.amount, x.base_id))
    if sort == "name":
        return sorted(lines, key=lambda x: (x.name, x.base_id))
    return sorted(lines, key=lambda x: (-x.amount, x.base_id))


def _saved_lines(rnd, sort):
    order = {"amount": ("amount", "pk"), "name": ("base__name", "pk")}.get(sort, ("-amount", "pk"))
    return SubsidyLine.objects.filter(round=rnd).select_related("base__region").order_by(*order)


def _detail(request, rnd, *, status=200, **forms):
    sort = request.GET.get("sort", "-amount")
    sort = sort if sort in SORTS else "-amount"
    user = request.user
    preview = None
    if rnd.has_lines():
        page = paginate(request, _saved_lines(rnd, sort), LINES_PER_PAGE)
        for line in page:
            line.grade_label = Grade(line.grade).label if line.grade in Grade.values else ""
        total = services.lines_total(rnd)
    else:
        preview = services.preview_subsidy(rnd)
        page = paginate(request, _sorted_preview(preview, sort), LINES_PER_PAGE)
        total = preview.total
    return render(
        request,
        "bases/subsidy_detail.html",
        {
            "round": rnd,
            "badge": BADGES.get(rnd.status, ""),
            "preview": preview,
            "page": page,
            "total": total,
            "sort": sort,
            "query": query_without_page(request),
            "can_change": rnd.can_change() and scope.can(user, rnd, "change"),
            "can_submit": rnd.can_submit()
            and scope.can(user, rnd, "submit")
            and not (preview and preview.error),
            "can_approve": rnd.can_approve() and scope.can(user, rnd, "approve"),
            "can_adjust": rnd.status == SubsidyStatus.SUBMITTED and scope.can(user, rnd, "submit"),
            "can_publish": rnd.can_publish() and scope.can(user, rnd, "publish"),
            "can_export": scope.can(user, rnd, "export"),
            "held_back": held_back(user, rnd, "approve") if rnd.can_approve() else None,
            "return_form": forms.get("return_form") or ReasonForm(prefix="return"),
            "adjust_form": forms.get("adjust_form") or AdjustForm(prefix="adjust"),
        },
        status=status,
    )


@require_safe
@permission_required(f"{P}.view")
def subsidy_detail(request, pk):
    return _detail(request, get_subsidy_round_for_user(request.user, pk))


@require_POST
@permission_required(f"{P}.submit")
def subsidy_submit(request, pk):
    rnd = get_subsidy_round_for_user(request.user, pk, "submit")
    return run_step(
        request,
        lambda: services.submit_subsidy_round(rnd, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Submitted: another officer approves the allocation."),
    )


@require_POST
@permission_required(f"{P}.approve")
def subsidy_approve(request, pk):
    rnd = get_subsidy_round_for_user(request.user, pk, "approve")
    return run_step(
        request,
        lambda: services.approve_subsidy_round(rnd, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Approved: the allocation is frozen."),
    )


@require_POST
@permission_required(f"{P}.approve")
def subsidy_return(request, pk):
    rnd = get_subsidy_round_for_user(request.user, pk, "approve")
    form = ReasonForm(request.POST, prefix="return")
    done = submit_form(
        request,
        form,
        lambda: services.return_subsidy_round(
            rnd, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Returned to draft."),
    )
    return done or _detail(request, rnd, status=400, return_form=form)


@require_POST
@permission_required(f"{P}.submit")
def subsidy_adjust(request, pk):
    """Change some amounts of a submitted allocation by hand: refused (nothing changed)
    unless the amounts still add up to the budget."""
    rnd = get_subsidy_round_for_user(request.user, pk, "submit")
    form = AdjustForm(request.POST, prefix="adjust")
    done = submit_form(
        request,
        form,
        lambda: services.adjust_subsidy_lines(
            rnd,
            actor=request.user,
            amounts=form.cleaned_data["amounts"],
            reason=form.cleaned_data["reason"],
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Amounts adjusted; the total is still the budget."),
    )
    return done or _detail(request, rnd, status=400, adjust_form=form)


@require_POST
@permission_required(f"{P}.publish")
def subsidy_publish(request, pk):
    rnd = get_subsidy_round_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_subsidy_round(rnd, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Published."),
    )


@require_safe
@permission_required(f"{P}.export")
def subsidy_export(request, pk):
    """The allocation (the saved lines, or the preview of a draft) with its total row."""
    rnd = get_subsidy_round_for_user(request.user, pk, "export")
    if not scope.can(request.user, rnd, "export"):
        raise PermissionDenied
    columns = [
        Column("base", _("Base"), width=36),
        Column("region", _("Region"), width=14),
        Column("score", _("Score"), text=False, width=10),
        Column("grade", _("Grade"), width=10),
        Column("visitors", _("Visitors"), text=False, width=12),
        Column("amount", _("Amount (yuan)"), text=False, width=14),
        Column("reason", _("Reason"), width=60),
    ]
    writer = Writer()
    sheet = writer.sheet(rnd.name[:31] or _("Subsidy"), columns)
    row = 0
    if rnd.has_lines():
        rows = (
            (
                x.base.name,
                x.base.region.name,
                float(x.score) if x.score is not None else "",
                Grade(x.grade).label if x.grade in Grade.values else "",
                x.visitors,
                x.amount,
                x.reason,
            )
            for x in _saved_lines(rnd, "-amount").iterator(chunk_size=2000)
        )
    else:
        preview = services.preview_subsidy(rnd)
        rows = (
            (
                x.name,
                x.region,
                float(x.score) if x.score is not None else "",
                str(x.grade_label()),
                x.visitors,
                x.amount,
                x.reason,
            )
            for x in _sorted_preview(preview, "-amount")
        )
    total = 0
    for row, values in enumerate(rows, start=1):
        writer.write_row(sheet, row, list(values))
        total += values[5]
    writer.write_row(sheet, row + 1, [_("Total"), "", "", "", "", total, ""])
    audit.record(
        "bases.subsidyline.exported",
        obj=rnd,
        actor=request.user,
        detail={"rows": row, "total": total, "status": rnd.status},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return writer.close(f"subsidy-{rnd.pk}-{stamp}.xlsx")
