"""The returns of a round in the officer's subtree (filters, keyset pages, export, the
phone layout), the county's review (accept, return with a reason, accept the selected
clean returns) and the exceptions to the lock."""

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import clock, exports, scope
from kepu.core.errors import DomainError
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import actionable, has_permission, visible_to
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
from kepu.core.workflow import four_eyes_message
from kepu.stats import choices as c
from kepu.stats.filters.workflow import ReturnFilter
from kepu.stats.forms.workflow import ExceptionForm, RequiredReasonForm
from kepu.stats.models import LockException, Return
from kepu.stats.permissions import get_return_for_user, get_round_for_user
from kepu.stats.services import returns, rounds

S = c.ReturnStatus
ORDER = ("region_id", "pk")


def _filtered(request, survey):
    rows = (
        visible_to(request.user, Return, public=False)
        .filter(round=survey)
        .select_related("organization", "region")
    )
    filterset = ReturnFilter(request.GET or None, queryset=rows)
    filterset.survey = survey
    filterset.form.fields["region"] = region_field(
        request.user, Return, "view", required=False, label=_("Region")
    )
    return filterset


@require_safe
@permission_required("stats.return.view")
def return_list(request, pk):
    survey = get_round_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        return export_list(request, "stats.return", pk=pk)
    filterset = _filtered(request, survey)
    rows = filterset.qs if filter_is_usable(filterset) else Return.objects.none()
    page = paginate(request, rows.order_by(*ORDER))
    items = list(page)
    user = request.user
    acceptable = set(
        visible_to(user, Return, "accept", public=False)
        .filter(pk__in=[r.pk for r in items if r.status == S.SUBMITTED])
        .values_list("pk", flat=True)
    )
    today = clock.today()
    overdue = today > survey.units_due
    excepted = _excepted(survey, items, today) if overdue else set()
    return render(
        request,
        "stats/workflow/return_list.html",
        {
            "survey": survey,
            "filter": filterset,
            "page": page,
            "rows": [
                {
                    "ret": r,
                    "can_accept": r.pk in acceptable and r.submitted_by_id != user.pk,
                    "held_back": four_eyes_message()
                    if r.pk in acceptable and r.submitted_by_id == user.pk
                    else "",
                    "can_send_back": r.pk in acceptable,
                    "overdue": overdue and r.status in c.EDITABLE_RETURN,
                    "excepted": r.pk in excepted,
                    "clean": r.errors == 0 and r.unexplained == 0,
                }
                for r in items
            ],
            "query": query_without_page(request),
            "can_export": has_permission(user, "stats.return.export"),
            "can_remove": has_permission(user, "stats.surveyround.assign"),
            "can_exception": has_permission(user, "stats.lockexception.grant") and overdue,
            "reason_form": RequiredReasonForm(),
        },
    )


def _excepted(survey, items, today) -> set[int]:
    """The returns of the page that an open exception lets file after the deadline (one
    query: exceptions for these returns or for a region above them)."""
    codes = {code for r in items for code in r.region.ancestor_codes}
    rows = LockException.objects.filter(round=survey, until__gte=today).filter(
        Q(ret__in=[r.pk for r in items]) | Q(ret__isnull=True, region__code__in=codes)
    )
    rets, regions = set(), set()
    for ret_id, code in rows.values_list("ret_id", "region__code"):
        if ret_id:
            rets.add(ret_id)
        else:
            regions.add(code)
    return {r.pk for r in items if r.pk in rets or regions & set(r.region.ancestor_codes)}


@exports.builder("stats.return", permission="stats.return.export")
def return_export_rows(request, pk):
    survey = get_round_for_user(request.user, pk)
    filterset = _filtered(request, survey)
    rows = filterset.qs if filter_is_usable(filterset) else Return.objects.none()
    return exports.Rows(
        queryset=visible_to(request.user, rows, "export").order_by(*ORDER),
        action="stats.return.exported",
        title=_("Statistics returns"),
        columns=[
            Column("unit", _("Reporting unit"), width=30),
            Column("region", _("Responsible region"), width=14),
            Column("dept", _("Department category"), width=14),
            Column("status", _("Status"), width=12),
            Column("errors", _("Errors"), width=8),
            Column("unexplained", _("Warnings without explanation"), width=10),
            Column("submitted", _("Submitted at"), width=18),
            Column("late", _("Late"), width=8),
            Column("by_region", _("Filled by the region"), width=10),
        ],
        to_values=lambda r: [
            r.organization.name,
            r.region.name,
            r.get_dept_category_display(),
            r.get_status_display(),
            r.errors,
            r.unexplained,
            localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
            _("Yes") if r.late else "",
            _("Yes") if r.filled_by_region else "",
        ],  # fmt: skip
        basename="stats-returns",
        detail={"round": survey.pk},
    )


def _back(ret):
    return reverse("stats:return_list", args=[ret.round_id])


def _accept(ret, actor):
    scope.check(actor, ret, "accept")  # four-eyes: not whoever submitted it
    return returns.accept(ret, actor=actor)


@require_POST
@permission_required("stats.return.accept")
def return_accept(request, pk):
    ret = get_return_for_user(request.user, pk, "accept")
    return run_step(
        request,
        lambda: _accept(ret, request.user),
        back=_back(ret),
        message=_("Return accepted: its values count in the region's totals."),
    )


@require_POST
@permission_required("stats.return.accept")
def return_send_back(request, pk):
    ret = get_return_for_user(request.user, pk, "accept")
    return run_step(
        request,
        lambda: returns.send_back(ret, actor=request.user, reason=request.POST.get("reason", "")),
        back=_back(ret),
        message=_("Return sent back to the unit with your reason."),
    )


def _accept_selected(request, survey):
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][:500]
    if not ids:
        raise DomainError(_("Select the returns to accept."))
    chosen = list(
        actionable(request.user, Return, "accept")
        .filter(round=survey, pk__in=ids, status=S.SUBMITTED, errors=0, unexplained=0)
        .select_related("round", "region")
    )
    for ret in chosen:
        returns.accept(ret, actor=request.user)
    return len(chosen), len(ids) - len(chosen)


@require_POST
@permission_required("stats.return.accept")
def return_bulk_accept(request, pk):
    survey = get_round_for_user(request.user, pk)
    return run_step(
        request,
        lambda: _accept_selected(request, survey),
        back=reverse("stats:return_list", args=[pk]),
        message=lambda r: (
            _("%(n)s returns accepted; %(m)s left as they were.") % {"n": r[0], "m": r[1]}
        ),
    )


# -- the lock and its exceptions -------------------------------------------------------


@require_safe
@permission_required("stats.lockexception.view")
def exception_list(request, pk):
    survey = get_round_for_user(request.user, pk)
    rows = (
        visible_to(request.user, LockException, public=False)
        .filter(round=survey)
        .select_related("region", "ret__organization", "granted_by")
        .order_by("-granted_at", "-pk")
    )
    return render(
        request,
        "stats/workflow/exception_list.html",
        {
            "survey": survey,
            "page": paginate(request, rows),
            "locked": clock.today() > survey.units_due,
            "today": clock.today(),
            "can_grant": has_permission(request.user, "stats.lockexception.grant"),
        },
    )


def _grant(request, survey, form):
    data = form.cleaned_data
    ret = region = None
    if data["target"] == "ret":
        ret = (
            visible_to(request.user, Return, public=False)
            .filter(round=survey, pk=data.get("unit") or 0)
            .select_related("region")
            .first()
        )
        if ret is None:
            raise DomainError(
                {"unit": _("No return of this survey in your reach has this number.")}
            )
    else:
        region = data.get("region")
        if region is None:
            raise DomainError({"region": _("Choose a region.")})
    return rounds.grant_exception(
        survey, actor=request.user, until=data["until"], reason=data["reason"], ret=ret,
        region=region,
    )  # fmt: skip


@permission_required("stats.lockexception.grant")
def exception_grant(request, pk):
    survey = get_round_for_user(request.user, pk)
    initial = {}
    if request.GET.get("ret", "").isdigit():
        initial = {"target": "ret", "unit": int(request.GET["ret"])}
    form = ExceptionForm(request.POST or None, initial=initial, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: _grant(request, survey, form),
        success=reverse("stats:exception_list", args=[pk]),
        message=_("Exception granted."),
    )
    if done:
        return done
    return form_page(request, "stats/workflow/exception_form.html", form, {"survey": survey})
