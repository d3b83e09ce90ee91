"""Output area: a round's aggregates and analysis (a region's approved totals beside its
child regions, per capita, year over year, outliers, the national reference), the
recompute (drift check) and the publication of a round."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import jobs, scope
from kepu.core.models import Region
from kepu.core.scope import allowed_regions, has_permission, visible_to
from kepu.core.views.common import permission_required, run_step, submit_form
from kepu.core.views.jobs import form_job_key, job_page
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, RegionApproval, StatTable, SurveyRound
from kepu.stats.permissions import get_round_for_user
from kepu.stats.services import analysis

RECOMPUTE = "stats.recompute"


def chosen_round(request) -> SurveyRound | None:
    """The round of `?round=` (checked), else the latest the user sees."""
    pk = request.GET.get("round")
    if pk:
        return get_round_for_user(request.user, pk)
    rounds = visible_to(request.user, SurveyRound.objects.all(), public=False)
    return rounds.select_related("region", "data_set").order_by("-year", "pk").first()


def chosen_region(request, survey: SurveyRound, action: str = "view") -> Region:
    """The region of `?region=` (an id or a code) if the user reads its aggregates and it
    lies in the round's tree (else 404), else the user's own top region in the tree."""
    allowed = allowed_regions(request.user, Aggregate, action).filter(
        path__startswith=survey.region.path
    )
    wanted = (request.GET.get("region") or "").strip()
    if wanted:
        ok = wanted.isdigit() and len(wanted) < 10
        region = allowed.filter(pk=wanted).first() if ok else None
        if region is None:
            raise Http404
        return region
    region = allowed.order_by("level", "code").first()
    if region is None:
        raise Http404
    return region


def _table(survey: SurveyRound, code: str | None) -> StatTable:
    tables = list(StatTable.objects.filter(data_set=survey.data_set_id).order_by("order", "code"))
    if not tables:
        raise Http404
    for t in tables:
        if t.code == code:
            return t
    if code:
        raise Http404
    return tables[0]


def _chart(columns, indicator, label_value, label_per_capita):
    children = columns[1:]
    return {
        "regions": [col.region.name for col in children],
        "links": [f"?region={col.region.pk}" for col in children],
        "values": [_num(col.cells[indicator.pk].value) for col in children],
        "per_capita": [_num(col.cells[indicator.pk].per_capita) for col in children],
        "outliers": [col.cells[indicator.pk].outlier for col in children],
        "labels": {"value": label_value, "per_capita": label_per_capita},
    }


def _num(value):
    return None if value is None else float(value)


@require_safe
@permission_required("stats.aggregate.view")
def aggregates(request):
    survey = chosen_round(request)
    if survey is None:
        return render(request, "stats/output/aggregates.html", {"survey": None})
    region = chosen_region(request, survey)
    table = _table(survey, request.GET.get("table"))
    indicators = list(table.indicators.order_by("order", "code"))
    figures = analysis.table_figures(survey, region, indicators)
    columns = figures["columns"]
    own = columns[0]
    chosen = next((i for i in indicators if i.code == request.GET.get("indicator")), None)
    chosen = chosen or next((i for i in indicators if i.per_capita), indicators[0])
    rows = []
    for indicator in indicators:
        cell = own.cells[indicator.pk]
        rows.append(
            {
                "indicator": indicator,
                "cell": cell,
                "per_capita_unit": analysis.per_capita_unit(indicator),
                "national": analysis.national_reference(indicator, survey.year, cell),
            }
        )
    children = [{"column": col, "cell": col.cells[chosen.pk]} for col in columns[1:]]
    rounds = visible_to(request.user, SurveyRound.objects.all(), public=False).order_by("-year")
    user = request.user
    approved = RegionApproval.objects.filter(
        round=survey, region_id=survey.region_id, status=c.ApprovalStatus.APPROVED
    ).exists()
    breadcrumbs = [
        r for r in region.ancestors(include_self=True) if r.path.startswith(survey.region.path)
    ]
    return render(
        request,
        "stats/output/aggregates.html",
        {
            "survey": survey,
            "region": region,
            "breadcrumbs": breadcrumbs,
            "table": table,
            "tables": StatTable.objects.filter(data_set=survey.data_set_id).order_by("order"),
            "rounds": rounds,
            "rows": rows,
            "own": own,
            "chosen": chosen,
            "indicators": indicators,
            "children": children,
            "chosen_unit": analysis.per_capita_unit(chosen),
            "previous_round": figures["previous_round"],
            "threshold": survey.data_set.change_threshold * 100,
            "chart": _chart(columns, chosen, f"{chosen.code} {chosen.name}（{chosen.unit}）",
                            analysis.per_capita_unit(chosen)),
            "can_recompute": scope.can(user, survey, "change")
            and region.pk == survey.region_id,
            "can_publish": survey.status != c.RoundStatus.PUBLISHED and approved
            and scope.can(user, survey, "publish"),
            "can_export": has_permission(user, "stats.aggregate.export"),
            "can_upload": survey.status == c.RoundStatus.OPEN
            and has_permission(user, "stats.return.import"),
        },
    )  # fmt: skip


@require_POST
@permission_required("stats.surveyround.change")
def recompute(request, pk):
    survey = get_round_for_user(request.user, pk, "change")
    back = f"{reverse('stats:aggregates')}?round={survey.pk}"
    form = forms.Form(request.POST)
    done = submit_form(
        request, form,
        lambda: jobs.start(
            RECOMPUTE, actor=request.user, region=survey.region,
            params={"round": survey.pk}, idem=form_job_key(request, RECOMPUTE),
            title=_("Recompute the aggregates of %(round)s") % {"round": survey.title},
        ),
        success=job_page, fallback=back,
    )  # fmt: skip
    if done is not None:
        return done
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(back)


@require_POST
@permission_required("stats.surveyround.publish")
def publish(request, pk):
    survey = get_round_for_user(request.user, pk, "publish")
    return run_step(
        request, lambda: analysis.publish(survey, actor=request.user),
        back=f"{reverse('stats:aggregates')}?round={survey.pk}",
        message=_("The survey's results are published as open data."),
    )  # fmt: skip
