"""Spot-check pages (the list, drawing a sample, recording a visit) and dynamic
management (warning a base, ordering rectification, the base's report, the re-check)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.bases import annual_choices as c
from kepu.bases.filters.annual import RectificationFilter, SpotCheckFilter
from kepu.bases.forms.annual import (
    DecideForm,
    DrawForm,
    OrderForm,
    ReasonForm,
    RectificationReportForm,
    SpotCheckForm,
)
from kepu.bases.models import AnnualEvaluation, Base, Rectification, SpotCheck
from kepu.bases.services import annual_checks as services
from kepu.bases.views.annual_reports import current_year
from kepu.core import clock, scope
from kepu.core.forms import region_field
from kepu.core.scope import get_for_user, has_permission, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)

RECT_DETAIL = "bases:rectification_detail"


@require_safe
@permission_required("bases.spotcheck.view")
def spotcheck_list(request):
    queryset = visible_to(request.user, SpotCheck.objects.with_relations(), public=False)
    filterset = SpotCheckFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, SpotCheck, "view", required=False)
    rows = filterset.qs if filter_is_usable(filterset) else SpotCheck.objects.none()
    return render(
        request,
        "bases/annual_spotcheck_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-year", "-pk")),
            "query": query_without_page(request),
            "can_draw": has_permission(request.user, "bases.spotcheck.create"),
        },
    )


@permission_required("bases.spotcheck.create")
def spotcheck_draw(request):
    form = DrawForm(request.POST or None, user=request.user, initial={"year": current_year()})
    done = submit_form(
        request,
        form,
        lambda: services.draw_spot_checks(actor=request.user, **form.cleaned_data),
        success=lambda checks: (
            reverse("bases:spotcheck_list") + f"?year={checks[0].year}&status=drawn"
        ),
        message=lambda checks: _("%(n)d bases drawn for a spot check.") % {"n": len(checks)},
        fallback=reverse("bases:spotcheck_list"),
    )
    return done or form_page(request, "bases/annual_spotcheck_draw.html", form)


@permission_required("bases.spotcheck.change")
def spotcheck_record(request, pk):
    check = get_for_user(SpotCheck.objects.with_relations(), request.user, pk, "change")
    if not check.can_record():
        messages.error(request, _("This spot check has already been recorded."))
        return redirect("bases:spotcheck_list")
    form = SpotCheckForm(
        request.POST or None, request.FILES or None, initial={"checked_on": clock.today()}
    )
    done = submit_form(
        request,
        form,
        lambda: services.record_spot_check(check, actor=request.user, **form.cleaned_data),
        success=reverse("bases:spotcheck_list") + f"?year={check.year}",
        message=_("Spot check recorded."),
    )
    return done or form_page(request, "bases/annual_spotcheck_form.html", form, {"check": check})


# -- dynamic management --


def _base(request, pk, action):
    return get_for_user(Base.objects.with_relations(), request.user, pk, action, public=False)


def _evaluation(request, base):
    pk = request.GET.get("evaluation") or request.POST.get("evaluation")
    if not (pk and str(pk).isdigit() and len(str(pk)) < 16):
        return None
    return (
        visible_to(request.user, AnnualEvaluation, public=False)
        .filter(pk=int(pk), base=base)
        .first()
    )


@permission_required("bases.base.warn")
def base_warn(request, pk):
    base = _base(request, pk, "warn")
    form = ReasonForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.warn_base(base, actor=request.user, reason=form.cleaned_data["reason"]),
        success=reverse("bases:rectification_list"),
        message=_("Base warned."),
    )
    return done or form_page(
        request, "bases/annual_base_warn.html", form, {"base": base, "order": False}
    )


@permission_required("bases.rectification.create")
def rectification_order(request, pk):
    base = _base(request, pk, "warn")
    evaluation = _evaluation(request, base)
    form = OrderForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.order_rectification(
            base, actor=request.user, evaluation=evaluation, **form.cleaned_data
        ),
        success=lambda order: reverse(RECT_DETAIL, args=[order.pk]),
        message=_("Rectification ordered."),
        fallback=reverse("bases:rectification_list"),
    )
    return done or form_page(
        request,
        "bases/annual_base_warn.html",
        form,
        {"base": base, "order": True, "evaluation": evaluation},
    )


@require_safe
@permission_required("bases.rectification.view")
def rectification_list(request):
    queryset = visible_to(request.user, Rectification.objects.with_relations(), public=False)
    filterset = RectificationFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, Rectification, "view", required=False
    )
    rows = filterset.qs if filter_is_usable(filterset) else Rectification.objects.none()
    return render(
        request,
        "bases/annual_rectification_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-ordered_at", "-pk")),
            "query": query_without_page(request),
            "today": clock.today(),
        },
    )


def _order(request, pk, action="view"):
    return get_for_user(
        Rectification.objects.with_relations(), request.user, pk, action, public=False
    )


@require_safe
@permission_required("bases.rectification.view")
def rectification_detail(request, pk):
    order = _order(request, pk)
    user = request.user
    return render(
        request,
        "bases/annual_rectification_detail.html",
        {
            "order": order,
            "overdue": order.status == c.RectificationStatus.ORDERED
            and order.due_on < clock.today(),
            "can_report": order.can_report() and scope.can(user, order, "change"),
            "can_decide": order.can_decide() and scope.can(user, order, "decide"),
        },
    )


@permission_required("bases.rectification.change")
def rectification_report(request, pk):
    order = _order(request, pk, "change")
    form = RectificationReportForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.report_rectification(
            order, actor=request.user, report=form.cleaned_data["report"]
        ),
        success=reverse(RECT_DETAIL, args=[pk]),
        message=_("Rectification reported."),
    )
    return done or form_page(
        request, "bases/annual_rectification_form.html", form, {"order": order, "decide": False}
    )


@permission_required("bases.rectification.decide")
def rectification_decide(request, pk):
    order = _order(request, pk, "decide")
    form = DecideForm(request.POST or None, initial={"checked_on": clock.today()})
    done = submit_form(
        request,
        form,
        lambda: services.decide_rectification(order, actor=request.user, **form.cleaned_data),
        success=reverse(RECT_DETAIL, args=[pk]),
        message=_("Re-check recorded."),
    )
    return done or form_page(
        request, "bases/annual_rectification_form.html", form, {"order": order, "decide": True}
    )
