"""Pages of the infrastructure census: the rounds (list, open one with its fields as
JSON), a round's page with the completeness by region (drill down by region), its
returns (filters, export), the returns to file (units and officers), the return form
rendered from the field definitions, accept and send back."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases.filters.subsidy import CensusReturnFilter, CensusRoundFilter
from kepu.bases.forms.subsidy import CensusReturnForm, CensusRoundForm, ReasonForm
from kepu.bases.models import CensusReturn, CensusRound
from kepu.bases.models.subsidy import CensusStatus, ReturnStatus
from kepu.bases.services import census as services
from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Region
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

ROUND = "bases:census_detail"
RETURN = "bases:censusreturn_fill"
R = "bases.censusround"
T = "bases.censusreturn"
RETURN_BADGES = {
    ReturnStatus.DRAFT: "bg-secondary-lt",
    ReturnStatus.SUBMITTED: "bg-yellow-lt",
    ReturnStatus.ACCEPTED: "bg-green-lt",
}


def get_census_round_for_user(user, pk, action="view") -> CensusRound:
    return get_for_user(CensusRound.objects.with_relations(), user, pk, action, public=False)


def get_census_return_for_user(user, pk, action="view") -> CensusReturn:
    return get_for_user(CensusReturn.objects.with_relations(), user, pk, action, public=False)


@require_safe
@permission_required(f"{R}.view")
def census_list(request):
    queryset = visible_to(request.user, CensusRound.objects.with_relations(), public=False)
    filterset = CensusRoundFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, CensusRound, "view", required=False
    )
    rows = filterset.qs if filter_is_usable(filterset) else CensusRound.objects.none()
    page = paginate(request, rows.order_by("-year", "-pk"))
    return render(
        request,
        "bases/census_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(request.user, f"{R}.create"),
        },
    )


@permission_required(f"{R}.create")
def census_create(request):
    form = CensusRoundForm(
        request.POST or None, region_field=region_field(request.user, CensusRound, "create")
    )
    done = submit_form(
        request,
        form,
        lambda: services.open_census_round(
            actor=request.user,
            region=form.cleaned_data["region"],
            name=form.cleaned_data["name"],
            year=form.cleaned_data["year"],
            fields=form.cleaned_data["fields_json"],
            deadline=form.cleaned_data["deadline"],
        ),
        success=lambda rnd: reverse(ROUND, args=[rnd.pk]),
        message=lambda rnd: (
            _("Census opened: %(n)s bases are asked for a return.") % {"n": rnd.expected}
        ),
    )
    return done or form_page(request, "bases/census_form.html", form)


def _returns(request, rnd):
    """The round's returns the user may see (its unit's staff: their own)."""
    return visible_to(
        request.user, CensusReturn.objects.select_related("base", "region"), public=False
    ).filter(round=rnd)


@require_safe
@permission_required(f"{R}.view")
def census_detail(request, pk):
    rnd = get_census_round_for_user(request.user, pk)
    area = rnd.region
    code = request.GET.get("area", "")
    if code:
        found = Region.objects.filter(code=code[:12]).first()
        # Drill down within the round's region only.
        if found is not None and found.path.startswith(rnd.region.path):
            area = found
    rows = services.completeness(rnd, area, returns=_returns(request, rnd))
    return render(
        request,
        "bases/census_detail.html",
        {
            "round": rnd,
            "area": area,
            "whole": rows[0],
            "rows": rows[1:],
            "can_close": rnd.is_open() and scope.can(request.user, rnd, "close"),
            "can_export": scope.can(request.user, rnd, "export"),
        },
    )


@require_POST
@permission_required(f"{R}.close")
def census_close(request, pk):
    rnd = get_census_round_for_user(request.user, pk, "close")
    return run_step(
        request,
        lambda: services.close_census_round(rnd, actor=request.user),
        back=reverse(ROUND, args=[pk]),
        message=_("Census closed: returns can no longer be changed."),
    )


def _return_filter(request, rnd):
    filterset = CensusReturnFilter(request.GET or None, queryset=_returns(request, rnd))
    filterset.form.fields["region"] = region_field(
        request.user, CensusReturn, "view", required=False
    )
    return filterset


@require_safe
@permission_required(f"{T}.view")
def censusreturn_list(request, pk):
    rnd = get_census_round_for_user(request.user, pk)
    filterset = _return_filter(request, rnd)
    rows = filterset.qs if filter_is_usable(filterset) else CensusReturn.objects.none()
    page = paginate(request, rows.order_by("round_id", "region_id", "pk"))
    for ret in page:
        ret.badge = RETURN_BADGES.get(ret.status, "")
    return render(
        request,
        "bases/censusreturn_list.html",
        {
            "round": rnd,
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_export": scope.can(request.user, rnd, "export"),
        },
    )


@exports.builder("bases.censusreturn", permission=f"{R}.export")
def census_export_rows(request, pk):
    rnd = get_census_round_for_user(request.user, pk, "export")
    filterset = _return_filter(request, rnd)
    if not filter_is_usable(filterset):
        return None
    fields = rnd.fields

    def answer(ret, f):
        value = ret.values.get(f["code"], "")
        if f["type"] == "bool" and value != "":
            return _("Yes") if value else _("No")
        return value

    return exports.Rows(
        queryset=filterset.qs.order_by("round_id", "region_id", "pk"),
        action="bases.censusreturn.exported",
        title=_("Census returns"),
        columns=[
            Column("base", _("Base"), width=36),
            Column("region", _("Region"), width=14),
            Column("status", _("Status"), width=12),
            *(Column(f["code"], f["label"], width=16) for f in fields),
        ],
        to_values=lambda ret: [
            ret.base.name,
            ret.region.name,
            ret.get_status_display(),
            *(answer(ret, f) for f in fields),
        ],
        basename=f"census-{rnd.pk}-returns",
        detail={"round": rnd.pk},
    )


@require_safe
@permission_required(f"{R}.export")
def census_export(request, pk):
    return export_list(request, "bases.censusreturn", pk=pk)


@require_safe
@permission_required(f"{T}.fill")
def censusreturn_queue(request):
    """The returns still to file in the open censuses the user may fill."""
    rows = (
        visible_to(request.user, CensusReturn.objects.with_relations(), "fill", public=False)
        .filter(status=ReturnStatus.DRAFT, round__status=CensusStatus.OPEN)
        .order_by("round_id", "region_id", "pk")
    )
    page = paginate(request, rows)
    return render(
        request,
        "bases/censusreturn_queue.html",
        {"page": page, "query": query_without_page(request)},
    )


def _return_page(request, ret, form, *, status=None, reopen_form=None):
    user = request.user
    answers = []
    for f in ret.round.fields:
        value = ret.values.get(f["code"], "")
        if f["type"] == "bool" and value != "":
            value = _("Yes") if value else _("No")
        answers.append((f, value))
    context = {
        "ret": ret,
        "round": ret.round,
        "answers": answers,
        "badge": RETURN_BADGES.get(ret.status, ""),
        "can_fill": ret.can_fill() and scope.can(user, ret, "fill"),
        "can_accept": ret.can_accept() and scope.can(user, ret, "accept"),
        "can_reopen": ret.can_reopen() and scope.can(user, ret, "accept"),
        "reopen_form": reopen_form or ReasonForm(prefix="reopen"),
    }
    kwargs = {"status": status} if status else {}
    return form_page(request, "bases/censusreturn_form.html", form, context, **kwargs)


@permission_required(f"{T}.view")
def censusreturn_fill(request, pk):
    """The return's page: its answers, and the form while it may be filled."""
    ret = get_census_return_for_user(request.user, pk)
    if request.method == "POST":
        ret = get_census_return_for_user(request.user, pk, "fill")
    form = CensusReturnForm(request.POST or None, definitions=ret.round.fields, values=ret.values)
    submit = request.POST.get("action") == "submit"
    done = submit_form(
        request,
        form,
        lambda: services.save_census_return(
            ret, actor=request.user, values=form.cleaned_data, submit=submit
        ),
        success=reverse(RETURN, args=[pk]),
        message=_("Return submitted.") if submit else _("Draft saved."),
    )
    return done or _return_page(request, ret, form)


@require_POST
@permission_required(f"{T}.accept")
def censusreturn_accept(request, pk):
    ret = get_census_return_for_user(request.user, pk, "accept")
    return run_step(
        request,
        lambda: services.accept_census_return(ret, actor=request.user),
        back=reverse(RETURN, args=[pk]),
        message=_("Return accepted."),
    )


@require_POST
@permission_required(f"{T}.accept")
def censusreturn_reopen(request, pk):
    ret = get_census_return_for_user(request.user, pk, "accept")
    form = ReasonForm(request.POST, prefix="reopen")
    done = submit_form(
        request,
        form,
        lambda: services.reopen_census_return(
            ret, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=reverse(RETURN, args=[pk]),
        message=_("Return sent back to its unit."),
    )
    if done is not None:
        return done
    form_ = CensusReturnForm(definitions=ret.round.fields, values=ret.values)
    return _return_page(request, ret, form_, status=400, reopen_form=form)
