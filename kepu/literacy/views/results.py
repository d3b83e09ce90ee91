"""Officers' pages of the results area: a round's report (the estimation started from
it, its publication, the PDF), the trend of the literacy rate, and the 科普指数 (list,
new, detail with its computation and publication)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, jobs, scope
from kepu.core.pdf import pdf_response
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    run_step,
    submit_form,
)
from kepu.core.views.jobs import form_job_key, job_page
from kepu.core.workflow import held_back
from kepu.literacy import choices as c
from kepu.literacy import reports
from kepu.literacy.filters.results import IndexFilter, ResultFilter
from kepu.literacy.forms.results import IndexForm
from kepu.literacy.models import IndexTree, Response, SurveyRound
from kepu.literacy.services import estimation
from kepu.literacy.services import index as index_services

P = "literacy"
REPORT = "literacy:round_report"
INLINE_PDF_RESPONSES = 5000  # a bigger round's PDF is a job


def _round(user, pk, action="view") -> SurveyRound:
    return scope.get_for_user(SurveyRound.objects.with_relations(), user, pk, action,
                              public=False)  # fmt: skip


def _index(user, pk, action="view") -> IndexTree:
    return scope.get_for_user(IndexTree.objects.with_relations(), user, pk, action,
                              public=False)  # fmt: skip


RESULT_STATUSES = (c.RoundStatus.CLOSED, c.RoundStatus.ESTIMATED, c.RoundStatus.PUBLISHED)


@require_safe
@permission_required(f"{P}.estimate.view")
def result_list(request):
    """The rounds in scope that are closed (to estimate), estimated or published."""
    rows = scope.visible_to(
        request.user, SurveyRound.objects.with_relations(), public=False
    ).filter(status__in=RESULT_STATUSES)
    filterset = ResultFilter(request.GET or None, queryset=rows)
    if not filter_is_usable(filterset):
        rows = rows.none()
    elif filterset.is_bound:
        rows = filterset.qs
    page = paginate(request, rows.order_by("-year", "-pk"))
    return render(request, "literacy/results/result_list.html", {"filter": filterset, "page": page})


@require_safe
@permission_required(f"{P}.estimate.view")
def round_report(request, pk):
    rnd = _round(request.user, pk)
    run = reports.current_run(rnd, light=True)
    context = {
        "round": rnd, "run": run, "public": False,
        "body": report_body(rnd, run),
        "item_stats": reports.body_html(
            rnd, run, "_item_analysis",
            lambda: {"item_stats": reports.item_analysis(run)},
        ) if run else "",
        "can_estimate": rnd.can_estimate() and scope.can(request.user, rnd, "estimate"),
        "can_publish": rnd.can_publish() and run is not None
        and scope.can(request.user, rnd, "publish"),
        "publish_held_back": held_back(request.user, rnd, "publish") if rnd.can_publish() else None,
    }  # fmt: skip
    return render(request, "literacy/results/round_report.html", context)


def report_body(rnd, run):
    """The report's body (`_report_body.html`) of the round's current run, from the
    cache (`reports.body_html`); rendered on the spot when there is no run yet."""
    if run is None:
        return render_to_string("literacy/results/_report_body.html", {"run": None})
    return reports.body_html(
        rnd, run, "_report_body", lambda: {"round": rnd, **reports.report(rnd)}
    )


@require_POST
@permission_required(f"{P}.surveyround.estimate")
def round_estimate(request, pk):
    rnd = _round(request.user, pk, "estimate")
    if not rnd.can_estimate():
        messages.error(request, _("Only a closed round can be estimated."))
        return redirect(REPORT, pk=pk)
    job = estimation.start_estimation(
        rnd, actor=request.user, idem=form_job_key(request, "literacy.estimate")
    )
    return redirect(job_page(job))


@require_POST
@permission_required(f"{P}.surveyround.publish")
def round_publish(request, pk):
    rnd = _round(request.user, pk, "publish")
    return run_step(
        request,
        lambda: estimation.publish_round(rnd, actor=request.user),
        back=reverse(REPORT, args=[pk]),
        message=_("The round's results are published."),
    )


@require_safe
@permission_required(f"{P}.estimate.view")
def round_report_pdf(request, pk):
    """The report as a PDF: inline for a small round, a job for a big one."""
    rnd = _round(request.user, pk)
    if reports.current_run(rnd) is None:
        messages.error(request, _("This round has not been estimated yet."))
        return redirect(REPORT, pk=pk)
    big = Response.objects.filter(round=rnd)[: INLINE_PDF_RESPONSES + 1].count()
    audit.record("literacy.report.exported", obj=rnd, actor=request.user,
                 detail={"job": big > INLINE_PDF_RESPONSES})  # fmt: skip
    if big > INLINE_PDF_RESPONSES:
        job = jobs.start("literacy.report_pdf", actor=request.user, region=rnd.region,
                         params={"round": rnd.pk})  # fmt: skip
        return redirect(job_page(job))
    return pdf_response(reports.report_pdf_bytes(rnd), f"literacy-report-{rnd.pk}.pdf")


@require_safe
@permission_required(f"{P}.estimate.view")
def trend(request):
    """The national series and the rates of the user's own region over its rounds."""
    roots = scope.scope_roots(request.user)
    region = roots[0] if roots else None
    if region is None:
        from kepu.core.models import Region

        region = Region.objects.filter(level=1).order_by("code").first()
    context = {"region": region, **reports.trend(region)}
    return render(request, "literacy/results/trend.html", context)


# --- the 科普指数 ------------------------------------------------------------------------


@require_safe
@permission_required(f"{P}.indextree.view")
def index_list(request):
    rows = scope.visible_to(request.user, IndexTree.objects.with_relations(), public=False)
    filterset = IndexFilter(request.GET or None, queryset=rows)
    if not filter_is_usable(filterset):
        rows = rows.none()
    elif filterset.is_bound:
        rows = filterset.qs
    page = paginate(request, rows.order_by("-year", "-pk"))
    return render(
        request,
        "literacy/index/index_list.html",
        {"filter": filterset, "page": page,
         "can_create": scope.has_permission(request.user, f"{P}.indextree.create")},
    )  # fmt: skip


@permission_required(f"{P}.indextree.create")
def index_create(request):
    form = IndexForm(request.POST or None, user=request.user)
    done = submit_form(
        request, form,
        lambda: index_services.create_index(
            form.cleaned_data["region"], actor=request.user,
            **{k: v for k, v in form.cleaned_data.items() if k != "region"},
        ),
        success=lambda tree: reverse("literacy:index_detail", args=[tree.pk]),
        message=_("Index created: compute it to see the values."),
    )  # fmt: skip
    return done or form_page(request, "literacy/index/index_form.html", form)


@require_safe
@permission_required(f"{P}.indextree.view")
def index_detail(request, pk):
    tree = _index(request.user, pk)
    open_ = tree.published_at is None
    context = {
        "tree": tree, **reports.index_table(tree),
        "can_compute": open_ and scope.can(request.user, tree, "compute"),
        "can_publish": open_ and tree.computed_at is not None
        and scope.can(request.user, tree, "publish"),
    }  # fmt: skip
    return render(request, "literacy/index/index_detail.html", context)


@require_POST
@permission_required(f"{P}.indextree.compute")
def index_compute(request, pk):
    tree = _index(request.user, pk, "compute")
    if tree.published_at is not None:
        messages.error(request, _("A published index is not computed again."))
        return redirect("literacy:index_detail", pk=pk)
    job = jobs.start("literacy.index", actor=request.user, region=tree.region,
                     params={"index": tree.pk},
                     idem=form_job_key(request, "literacy.index"))  # fmt: skip
    return redirect(job_page(job))


@require_POST
@permission_required(f"{P}.indextree.publish")
def index_publish(request, pk):
    tree = _index(request.user, pk, "publish")
    return run_step(
        request,
        lambda: index_services.publish_index(tree, actor=request.user),
        back=reverse("literacy:index_detail", args=[pk]),
        message=_("The index is published on the portal."),
    )


__all__ = ["c"]
