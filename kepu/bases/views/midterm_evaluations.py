"""Pages of mid-term evaluation rounds: the list, a new round, a round with its areas
(self-assessed? scored by whom?), an evaluator's score sheet, the results with the grade
distribution and their export, publishing."""

from collections import Counter

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases.filters.midterm import EvaluationFilter
from kepu.bases.forms.midterm import EvaluationForm, ScoresheetForm
from kepu.bases.models import MidtermEntry, MidtermEvaluation, MidtermScoresheet
from kepu.bases.services import midterm as services
from kepu.bases.views.midterm_areas import get_entry_for_user
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
from kepu.rubrics.choices import Grade

DETAIL = "bases:evaluation_detail"


def get_evaluation_for_user(user, pk, action="view") -> MidtermEvaluation:
    return get_for_user(MidtermEvaluation.objects.with_relations(), user, pk, action)


@require_safe
@permission_required("bases.midtermevaluation.view")
def evaluation_list(request):
    queryset = visible_to(request.user, MidtermEvaluation.objects.with_relations())
    filterset = EvaluationFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, MidtermEvaluation, "view", required=False
    )
    qs = filterset.qs if filter_is_usable(filterset) else MidtermEvaluation.objects.none()
    return render(
        request,
        "bases/evaluation_list.html",
        {
            "filter": filterset,
            "page": paginate(request, qs.order_by("-year", "-pk")),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "bases.midtermevaluation.create"),
        },
    )


@permission_required("bases.midtermevaluation.create")
def evaluation_create(request):
    form = EvaluationForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_evaluation(actor=request.user, **form.cleaned_data),
        success=lambda evaluation: reverse(DETAIL, args=[evaluation.pk]),
        message=_("Mid-term evaluation opened: the areas in their cycle have joined it."),
        fallback=reverse("bases:evaluation_list"),
    )
    return done or form_page(request, "bases/evaluation_form.html", form)


def _rows(evaluation, user):
    """The round's areas with their self-assessment, their sheets and (provisional until
    published) result."""
    entries = list(evaluation.entries.select_related("area", "area__region").order_by("pk"))
    sheets = {}
    for sheet in MidtermScoresheet.objects.filter(entry__evaluation=evaluation).select_related(
        "evaluator"
    ):
        sheets.setdefault(sheet.entry_id, []).append(sheet)
    computed = services.results(evaluation)
    for entry in entries:
        entry.sheet_list = sheets.get(entry.pk, [])
        entry.mine = any(s.evaluator_id == user.pk for s in entry.sheet_list)
        result = computed.get(entry.pk)
        entry.mean, entry.mean_grade, entry.mean_passed = result[:3] if result else (None,) * 3
        entry.grade_label = Grade(entry.mean_grade).label if entry.mean_grade else ""
    return entries


@require_safe
@permission_required("bases.midtermevaluation.view")
def evaluation_detail(request, pk):
    evaluation = get_evaluation_for_user(request.user, pk)
    user = request.user
    scoring = evaluation.is_scoring()
    return render(
        request,
        "bases/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "entries": _rows(evaluation, user),
            "can_score": scoring and scope.can(user, evaluation, "score"),
            "can_publish": evaluation.can_publish() and scope.can(user, evaluation, "publish"),
        },
    )


@require_safe
@permission_required("bases.midtermevaluation.view")
def evaluation_results(request, pk):
    evaluation = get_evaluation_for_user(request.user, pk)
    entries = _rows(evaluation, request.user)
    counts = Counter(e.mean_grade for e in entries if e.mean_grade)
    scored = sum(counts.values())
    distribution = [
        (grade.label, counts.get(grade.value, 0), round(100 * counts.get(grade.value, 0) / scored))
        if scored
        else (grade.label, 0, 0)
        for grade in Grade
    ]
    entries.sort(key=lambda e: (e.mean is None, -(e.mean or 0)))
    return render(
        request,
        "bases/evaluation_results.html",
        {
            "evaluation": evaluation,
            "entries": entries,
            "distribution": distribution,
            "scored": scored,
            "passed": sum(1 for e in entries if e.mean_passed),
            "published": not evaluation.is_scoring(),
            "can_export": scope.can(request.user, evaluation, "export"),
        },
    )


@exports.builder(
    "bases.midtermevaluation",
    permission="bases.midtermevaluation.export",
    back="bases:evaluation_list",
)
def evaluation_export_rows(request, pk):
    evaluation = get_evaluation_for_user(request.user, pk, "export")
    computed = services.results(evaluation)

    def values(entry):
        mean, grade, passed, sheets = computed.get(entry.pk, (None, "", None, 0))
        return [
            entry.area.name,
            entry.area.region.name,
            entry.area.get_kind_display(),
            _("Yes") if entry.self_assessed_at else _("No"),
            sheets,
            "" if mean is None else f"{mean}",
            Grade(grade).label if grade else "",
            "" if passed is None else (_("Yes") if passed else _("No")),
        ]

    return exports.Rows(
        queryset=MidtermEntry.objects.filter(evaluation=evaluation)
        .select_related("area", "area__region")
        .order_by("pk"),
        action="bases.midtermevaluation.exported",
        title=evaluation.name[:31],
        columns=[
            Column("area", _("Demonstration area"), width=30),
            Column("region", _("Region"), width=14),
            Column("kind", _("Kind"), width=24),
            Column("self", _("Self-assessed"), width=10),
            Column("sheets", _("Score sheets"), width=10),
            Column("total", _("Mean total"), width=10),
            Column("grade", _("Grade"), width=10),
            Column("passed", _("Passed"), width=8),
        ],
        to_values=values,
        basename="midterm-results",
    )


@require_safe
@permission_required("bases.midtermevaluation.export")
def evaluation_export(request, pk):
    return export_list(request, "bases.midtermevaluation", pk=pk)


@require_POST
@permission_required("bases.midtermevaluation.publish")
def evaluation_publish(request, pk):
    evaluation = get_evaluation_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_evaluation(evaluation, actor=request.user),
        back=reverse("bases:evaluation_results", args=[pk]),
        message=_("Results published."),
    )


@permission_required("bases.midtermevaluation.score")
def entry_score(request, pk):
    entry = get_entry_for_user(request.user, pk)
    evaluation = get_evaluation_for_user(request.user, entry.evaluation_id, "score")
    criteria = list(evaluation.rubric.criteria.order_by("position", "pk"))
    sheet = MidtermScoresheet.objects.filter(entry=entry, evaluator=request.user).first()
    form = ScoresheetForm(request.POST or None, criteria=criteria, values=entry.values, sheet=sheet)
    done = submit_form(
        request,
        form,
        lambda: services.submit_scoresheet(entry, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[evaluation.pk]),
        message=lambda sheet: (
            _("Score sheet submitted: %(total)s points.") % {"total": sheet.total}
        ),
    )
    return done or form_page(
        request,
        "bases/entry_score.html",
        form,
        {
            "entry": entry,
            "evaluation": evaluation,
            "criteria": criteria,
            "scoring": evaluation.is_scoring(),
        },
    )
