"""Pages of survey rounds: the list (with each round's progress in the officer's region),
create and edit (province officers), the round's hub, open and close, and assigning the
reporting units."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kepu.core import jobs, scope
from kepu.core.models import Job
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import form_page, paginate, permission_required, run_step, submit_form
from kepu.core.views.jobs import job_page
from kepu.stats.forms.workflow import AssignForm, RoundForm
from kepu.stats.models import Return, SurveyRound
from kepu.stats.permissions import get_return_for_user, get_round_for_user
from kepu.stats.services import assignment, completeness, rounds
from kepu.stats.views.workflow_common import own_region

DETAIL = "stats:round_detail"
ORDER = ("-year", "-pk")


@require_safe
@permission_required("stats.surveyround.view")
def round_list(request):
    region = own_region(request.user)
    rows = visible_to(request.user, SurveyRound, public=False).select_related("region", "data_set")
    page = paginate(request, rows.order_by(*ORDER))
    items = list(page)
    progress = completeness.overview(items, region)
    return render(
        request,
        "stats/workflow/round_list.html",
        {
            "page": page,
            "rows": [(r, progress[r.pk]) for r in items],
            "region": region,
            "can_create": region.level == 1
            and has_permission(request.user, "stats.surveyround.create"),
        },
    )


def _province_officer(user):
    if own_region(user).level != 1:
        raise PermissionDenied


@permission_required("stats.surveyround.create")
def round_create(request):
    _province_officer(request.user)
    region = own_region(request.user)
    form = RoundForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: rounds.create_round(actor=request.user, region=region, **form.service_fields()),
        success=lambda s: reverse(DETAIL, args=[s.pk]),
        message=_("Survey saved: assign the reporting units, then open it."),
        fallback=reverse("stats:round_list"),
    )
    return done or form_page(request, "stats/workflow/round_form.html", form, {"survey": None})


@permission_required("stats.surveyround.change")
def round_edit(request, pk):
    survey = get_round_for_user(request.user, pk, "change")
    form = RoundForm(request.POST or None, instance=survey)
    done = submit_form(
        request,
        form,
        lambda: rounds.change_round(survey, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Changes saved."),
    )
    if done:
        return done
    survey.refresh_from_db()
    return form_page(request, "stats/workflow/round_form.html", form, {"survey": survey})


@require_safe
@permission_required("stats.surveyround.view")
def round_detail(request, pk):
    survey = get_round_for_user(request.user, pk)
    region = own_region(request.user)
    user = request.user
    owner = scope.can(user, survey, "change")
    return render(
        request,
        "stats/workflow/round_detail.html",
        {
            "survey": survey,
            "region": region,
            "progress": completeness.overview([survey], region)[survey.pk],
            "can_edit": owner,
            "can_open": owner and rounds.can_open(survey),
            "can_close": owner and rounds.can_close(survey),
            "can_assign": has_permission(user, "stats.surveyround.assign"),
            "can_exceptions": has_permission(user, "stats.lockexception.view"),
            "can_aggregates": has_permission(user, "stats.aggregate.view"),
        },
    )


STEPS = {
    "open": (rounds.open_round, gettext_lazy("The survey is open for filing.")),
    "close": (rounds.close_round, gettext_lazy("The survey is closed.")),
}


def _step(request, pk, step):
    survey = get_round_for_user(request.user, pk, "change")
    service, message = STEPS[step]
    return run_step(
        request,
        lambda: service(survey, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=message,
    )


@require_POST
@permission_required("stats.surveyround.change")
def round_open(request, pk):
    return _step(request, pk, "open")


@require_POST
@permission_required("stats.surveyround.change")
def round_close(request, pk):
    return _step(request, pk, "close")


# -- reporting units -------------------------------------------------------------------


def _assign(request, survey, form):
    data = form.cleaned_data
    pending = assignment.candidates(survey, data["region"], data["org_types"])
    if pending[: assignment.ASYNC_ABOVE + 1].count() > assignment.ASYNC_ABOVE:
        rounds_region = data["region"]
        return jobs.start(
            "stats.assign",
            actor=request.user,
            region=rounds_region,
            params={
                "round": survey.pk,
                "region": rounds_region.pk,
                "org_types": list(data["org_types"]),
                "dept_category": data["dept_category"],
            },
        )
    return assignment.assign_units(
        survey, data["region"], data["org_types"], actor=request.user,
        dept_category=data["dept_category"],
    )  # fmt: skip


def _assigned_message(result):
    if isinstance(result, Job):
        return _("Many units: they are being assigned in the background.")
    return _("%(n)s units assigned.") % {"n": result}


@permission_required("stats.surveyround.assign")
def round_assign(request, pk):
    survey = get_round_for_user(request.user, pk)
    form = AssignForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: _assign(request, survey, form),
        success=lambda r: job_page(r) if isinstance(r, Job) else
        reverse("stats:return_list", args=[pk]),
        message=_assigned_message,
        fallback=reverse("stats:return_list", args=[pk]),
    )  # fmt: skip
    if done:
        return done
    assigned = visible_to(request.user, Return, public=False).filter(round=survey)
    return form_page(
        request,
        "stats/workflow/round_assign.html",
        form,
        {"survey": survey, "assigned": assigned[:1001].count()},
    )


@require_POST
@permission_required("stats.surveyround.assign")
def return_remove(request, pk):
    ret = get_return_for_user(request.user, pk, "fill")
    if not scope.can(request.user, ret.round, "view"):
        raise PermissionDenied
    return run_step(
        request,
        lambda: assignment.remove_unit(ret, actor=request.user),
        back=reverse("stats:return_list", args=[ret.round_id]),
        message=_("The unit no longer reports in this survey."),
    )
