"""Evaluation round pages: the list, opening a round, its results (grade distribution,
the table, the job that computes them), the manual points of a base, publishing, the
export, and the public results page of a published round (from the shared cache)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases import annual_choices as c
from kepu.bases.filters.annual import RoundFilter
from kepu.bases.forms.annual import ManualScoresForm, RoundForm
from kepu.bases.models import AnnualEvaluation, EvaluationRound
from kepu.bases.services import annual_evaluation as services
from kepu.core import exports, jobs, scope
from kepu.core.excel import Column
from kepu.core.publiccache import public_page
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
from kepu.core.views.jobs import form_job_key, job_page
from kepu.rubrics.choices import Grade

DETAIL = "bases:evaluationround_detail"
GRADE_BADGES = {
    Grade.EXCELLENT: "bg-green-lt",
    Grade.GOOD: "bg-teal-lt",
    Grade.PASS: "bg-blue-lt",
    Grade.FAIL: "bg-red-lt",
}
PUBLIC_ROWS = 500


def get_round_for_user(user, pk, action="view") -> EvaluationRound:
    return get_for_user(EvaluationRound.objects.with_relations(), user, pk, action, public=False)


def distribution(round_: EvaluationRound) -> list[dict]:
    total = round_.bases_count or 0
    rows = []
    for grade in Grade:
        n = round_.grades.get(grade.value, 0)
        rows.append(
            {
                "grade": grade.label,
                "n": n,
                "share": round(n * 100 / total) if total else 0,
                "badge": GRADE_BADGES[grade],
            }
        )
    return rows


@require_safe
@permission_required("bases.evaluationround.view")
def round_list(request):
    queryset = visible_to(request.user, EvaluationRound.objects.with_relations(), public=False)
    filterset = RoundFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filter_is_usable(filterset) else EvaluationRound.objects.none()
    return render(
        request,
        "bases/annual_round_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-year", "-pk")),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "bases.evaluationround.create"),
        },
    )


@permission_required("bases.evaluationround.create")
def round_create(request):
    form = RoundForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_evaluation_round(actor=request.user, **form.cleaned_data),
        success=lambda r: reverse(DETAIL, args=[r.pk]),
        message=_("Evaluation round opened. Compute it to score every base."),
        fallback=reverse("bases:evaluationround_list"),
    )
    return done or form_page(request, "bases/annual_round_form.html", form)


def _results(request, round_):
    rows = AnnualEvaluation.objects.filter(round=round_).select_related("base", "region")
    grade = request.GET.get("grade", "")
    if grade in Grade.values:
        rows = rows.filter(grade=grade)
    elif grade == "incomplete":
        rows = rows.filter(complete=False)
    return visible_to(request.user, rows, public=False).order_by("-total", "pk")


@require_safe
@permission_required("bases.evaluationround.view")
def round_detail(request, pk):
    round_ = get_round_for_user(request.user, pk)
    user = request.user
    page = paginate(request, _results(request, round_))
    for row in page:
        row.badge = GRADE_BADGES.get(row.grade, "bg-secondary-lt")
    manage = scope.can(user, round_, "change")
    return render(
        request,
        "bases/annual_round_detail.html",
        {
            "round": round_,
            "page": page,
            "query": query_without_page(request),
            "grade": request.GET.get("grade", ""),
            "grades": [(g.value, g.label) for g in Grade],
            "distribution": distribution(round_),
            "can_compute": manage and round_.can_compute(),
            "can_score": manage and round_.can_score(),
            "can_publish": round_.can_publish() and scope.can(user, round_, "publish"),
            "can_export": has_permission(user, "bases.evaluationround.export"),
            "can_warn": has_permission(user, "bases.base.warn"),
        },
    )


@require_POST
@permission_required("bases.evaluationround.change")
def round_compute(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    if not round_.can_compute():
        return run_step(
            request,
            lambda: services.compute_evaluation_round(round_, actor=request.user),
            back=reverse(DETAIL, args=[pk]),
        )
    job = jobs.start(
        "bases.compute_evaluation_round",
        actor=request.user,
        region=round_.region,
        params={"round": round_.pk},
        idem=form_job_key(request, "bases.compute_evaluation_round"),
    )
    return redirect(job_page(job))


@require_POST
@permission_required("bases.evaluationround.publish")
def round_publish(request, pk):
    round_ = get_round_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_evaluation_round(round_, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Results published."),
    )


@permission_required("bases.annualevaluation.change")
def evaluation_score(request, pk):
    evaluation = get_for_user(
        AnnualEvaluation.objects.with_relations(), request.user, pk, "change", public=False
    )
    round_ = evaluation.round
    criteria = services.manual_criteria(round_.rubric)
    form = ManualScoresForm(request.POST or None, criteria=criteria, manual=evaluation.manual)
    done = submit_form(
        request,
        form,
        lambda: services.set_manual_scores(
            evaluation, actor=request.user, scores=dict(form.cleaned_data)
        ),
        success=reverse(DETAIL, args=[round_.pk]),
        message=_("Points saved. Compute the round again to update the totals."),
    )
    lines = []
    names = {cr.code: cr for cr in round_.rubric.criteria.all()}
    for code, criterion in names.items():
        lines.append(
            {
                "name": criterion.name,
                "weight": criterion.weight,
                "value": evaluation.values.get(code, ""),
                "points": evaluation.lines.get(code, ""),
            }
        )
    return done or form_page(
        request,
        "bases/annual_evaluation_form.html",
        form,
        {
            "evaluation": evaluation,
            "round": round_,
            "lines": lines,
            "can_score": round_.can_score(),
            "can_warn": evaluation.grade == Grade.FAIL
            and evaluation.base.is_listed()
            and has_permission(request.user, "bases.base.warn"),
        },
    )


def _columns():
    return [
        Column("base", _("Base"), width=30),
        Column("region", _("Region"), width=14),
        Column("total", _("Total"), width=8),
        Column("grade", _("Grade"), width=8),
        Column("visitors", _("Visitors"), width=10),
        Column("no_report", _("No accepted report"), width=10),
        Column("complete", _("Every criterion scored"), width=10),
    ]


def _values(row):
    return [
        row.base.name,
        row.region.name,
        row.total,
        row.get_grade_display(),
        row.visitors,
        _("Yes") if row.no_report else _("No"),
        _("Yes") if row.complete else _("No"),
    ]


@exports.builder(
    "bases.annualevaluation",
    permission="bases.evaluationround.export",
    back="bases:evaluationround_list",
)
def round_export_rows(request, pk):
    round_ = get_round_for_user(request.user, pk)
    rows = visible_to(
        request.user,
        AnnualEvaluation.objects.filter(round=round_).select_related("base", "region"),
        public=False,
    )
    return exports.Rows(
        queryset=rows.order_by("-total", "pk"),
        action="bases.annualevaluation.exported",
        title=round_.title[:31],
        columns=_columns(),
        to_values=_values,
        basename=f"evaluation-{round_.year}",
        detail={"round": round_.pk},
    )


@require_safe
@permission_required("bases.evaluationround.export")
def round_export(request, pk):
    return export_list(request, "bases.annualevaluation", pk=pk)


@require_safe
@public_page(services.RESULTS_TAG)
def public_results(request, pk):
    round_ = (
        EvaluationRound.objects.select_related("region")
        .filter(pk=pk, status=c.RoundStatus.PUBLISHED)
        .first()
    )
    if round_ is None:
        raise Http404
    rows = list(
        AnnualEvaluation.objects.filter(round=round_)
        .select_related("base", "region")
        .order_by("-total", "pk")[:PUBLIC_ROWS]
    )
    for row in rows:
        row.badge = GRADE_BADGES.get(row.grade, "bg-secondary-lt")
    return render(
        request,
        "bases/annual_public_results.html",
        {"round": round_, "rows": rows, "distribution": distribution(round_)},
    )
