"""The small pages of a funded project's parts: budget, contract, milestones, targets and
their actual values, checks (mid-term and acceptance on the rubric), payments, outputs,
going to acceptance and termination. Each is open only to who may (the service checks
again)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kepu.core.views.common import form_page, permission_required, run_step, submit_form
from kepu.selections.forms import projects as f
from kepu.selections.models import Milestone
from kepu.selections.permissions import get_project_for_user
from kepu.selections.services import projects as services

P = "selections.project"
DETAIL = "selections:project_detail"


def _part(request, project, form, run, *, title, message, hint="", rows=None):
    done = submit_form(
        request, form, run, success=reverse(DETAIL, args=[project.pk]), message=message
    )
    return done or form_page(
        request,
        "selections/project_part.html",
        form,
        {"project": project, "title": title, "hint": hint, "rows": rows},
    )


@permission_required(f"{P}.change")
def project_budget(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = f.BudgetForm(request.POST or None, project=project)
    return _part(
        request,
        project,
        form,
        lambda: services.set_budget(project, actor=request.user, lines=form.lines()),
        title=gettext_lazy("Budget"),
        message=_("Budget saved."),
        hint=_("One amount per category; together at most the approved amount (%(a)s).")
        % {"a": services.money(project.approved_amount)},
    )


@permission_required(f"{P}.change")
def project_contract(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = f.ContractForm(request.POST or None)
    return _part(
        request,
        project,
        form,
        lambda: services.sign_contract(
            project,
            actor=request.user,
            number=form.cleaned_data["number"],
            signed_on=form.cleaned_data["signed_on"],
        ),
        title=gettext_lazy("Contract"),
        message=_("Contract recorded: the project is under way."),
    )


@permission_required(f"{P}.change")
def project_milestones(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = f.MilestoneForm(request.POST or None)
    return _part(
        request,
        project,
        form,
        lambda: services.add_milestone(project, actor=request.user, **form.cleaned_data),
        title=gettext_lazy("Add a milestone"),
        message=_("Milestone added."),
    )


@require_POST
@permission_required(f"{P}.report")
def project_milestone_done(request, pk, mid):
    project = get_project_for_user(request.user, pk, "report")
    milestone = get_object_or_404(Milestone, pk=mid, project=project)
    return run_step(
        request,
        lambda: services.complete_milestone(milestone, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Milestone done."),
    )


@permission_required(f"{P}.change")
def project_targets(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = f.TargetForm(request.POST or None)
    return _part(
        request,
        project,
        form,
        lambda: services.add_target(project, actor=request.user, **form.cleaned_data),
        title=gettext_lazy("Add a performance target"),
        message=_("Target added."),
    )


@permission_required(f"{P}.report")
def project_actuals(request, pk):
    project = get_project_for_user(request.user, pk, "report")
    form = f.ActualsForm(request.POST or None, project=project)
    return _part(
        request,
        project,
        form,
        lambda: services.report_actuals(project, actor=request.user, actuals=form.actuals()),
        title=gettext_lazy("Report the actual values"),
        message=_("Actual values saved."),
    )


@permission_required(f"{P}.check")
def project_checks(request, pk):
    project = get_project_for_user(request.user, pk, "check")
    rubric = services.acceptance_rubric(project.region)
    initial = {"kind": "acceptance" if project.status == "acceptance" else "midterm"}
    form = f.CheckForm(request.POST or None, rubric=rubric, initial=initial)
    return _part(
        request,
        project,
        form,
        lambda: services.record_check(
            project,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            values=form.values(),
            comment=form.cleaned_data["comment"],
            result=form.cleaned_data["result"],
            fix_by=form.cleaned_data["fix_by"],
            rubric=rubric,
        ),
        title=gettext_lazy("Check or acceptance"),
        message=_("Check recorded."),
        hint=rubric.name,
    )


@permission_required(f"{P}.disburse")
def project_disbursements(request, pk):
    project = get_project_for_user(request.user, pk, "disburse")
    form = f.DisbursementForm(request.POST or None)
    return _part(
        request,
        project,
        form,
        lambda: services.record_disbursement(project, actor=request.user, **form.cleaned_data),
        title=gettext_lazy("Record a payment"),
        message=_("Payment recorded."),
        hint=_("Left to pay: %(r)s") % {"r": services.money(project.remaining())},
    )


@permission_required(f"{P}.report")
def project_outputs(request, pk):
    project = get_project_for_user(request.user, pk, "report")
    form = f.OutputForm(request.POST or None, user=request.user, project=project)
    return _part(
        request,
        project,
        form,
        lambda: services.add_output(project, actor=request.user, **form.cleaned_data),
        title=gettext_lazy("Add an output"),
        message=_("Output added."),
        hint=_("An activity or a work of the unit in the registries, or a description."),
    )


@require_POST
@permission_required(f"{P}.report")
def project_submit(request, pk):
    project = get_project_for_user(request.user, pk, "report")
    return run_step(
        request,
        lambda: services.submit_for_acceptance(project, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Submitted for acceptance."),
    )


@permission_required(f"{P}.change")
def project_terminate(request, pk):
    project = get_project_for_user(request.user, pk, "change")
    form = f.ReasonForm(request.POST or None)
    return _part(
        request,
        project,
        form,
        lambda: services.terminate_project(
            project, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        title=gettext_lazy("Terminate the project"),
        message=_("Project terminated."),
        hint=_("Nothing more is paid once a project is terminated."),
    )
