"""The assessment pages: the rounds list and a new round, a round's matrix (subjects ×
criteria with the stored live values and points), its ranking and Excel export, a
subject's page (self-assessment, evidence, score, confirmation), and publishing. The
round's pages read what `refresh_round` stored: no aggregate is computed per request."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, exports, jobs, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.uploads import file_response
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
from kepu.plans import assessment_choices as c
from kepu.plans.assessment_forms import AssessmentRoundForm, ScoreForm, SelfAssessmentForm
from kepu.plans.filters import AssessmentRoundFilter
from kepu.plans.models import AssessmentEntry, AssessmentRound
from kepu.plans.permissions import get_assessment_entry_for_user, get_assessment_for_user
from kepu.plans.services import assessment as services
from kepu.rubrics.choices import Grade, Method

DETAIL = "plans:assessment_detail"
ENTRY = "plans:assessment_entry"
GRADE_BADGES = {
    Grade.EXCELLENT: "bg-green-lt",
    Grade.GOOD: "bg-teal-lt",
    Grade.PASS: "bg-blue-lt",
    Grade.FAIL: "bg-red-lt",
}
STATUS_BADGES = {
    c.EntryStatus.PENDING: "bg-secondary-lt",
    c.EntryStatus.SELF_ASSESSED: "bg-azure-lt",
    c.EntryStatus.SCORED: "bg-yellow-lt",
    c.EntryStatus.CONFIRMED: "bg-green-lt",
}


def _filtered(request):
    queryset = visible_to(request.user, AssessmentRound.objects.with_relations(), public=False)
    filterset = AssessmentRoundFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, AssessmentRound, "view", required=False
    )
    return filterset


@require_safe
@permission_required("plans.assessmentround.view")
def assessment_list(request):
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else AssessmentRound.objects.none()
    return render(
        request,
        "plans/assessment_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-year", "-pk")),
            "query": query_without_page(request),
            "kinds": c.SubjectKind.choices,
            "statuses": c.RoundStatus.choices,
            "can_create": has_permission(request.user, "plans.assessmentround.create"),
        },
    )


@permission_required("plans.assessmentround.create")
def assessment_create(request):
    form = AssessmentRoundForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_round(actor=request.user, **form.cleaned_data),
        success=lambda round_: reverse(DETAIL, args=[round_.pk]),
        message=_("Assessment round created; the live values have been pulled."),
        fallback="plans:assessment_list",
    )
    return done or form_page(request, "plans/assessment_form.html", form)


def _criteria(round_):
    return list(round_.rubric.criteria.all())


def _cells(entry, criteria):
    cells = []
    for criterion in criteria:
        if criterion.method == Method.MANUAL:
            scored = entry.status in (c.EntryStatus.SCORED, c.EntryStatus.CONFIRMED)
            value = entry.values.get(criterion.code) if scored else None
        else:
            value = entry.live.get(criterion.code)
        cells.append(
            {
                "criterion": criterion,
                "value": value,
                "missing": criterion.method != Method.MANUAL and value is None,
                "points": entry.lines.get(criterion.code),
            }
        )
    return cells


def _claims(entry, criteria) -> list[tuple[str, str]]:
    """(criterion name, points claimed) of the self-assessment, in the rubric's order."""
    return [
        (cr.name, entry.self_points[cr.code]) for cr in criteria if cr.code in entry.self_points
    ]


def _entries(request, round_):
    """The round's entries the user reads (the assessors all, the assessed their own)."""
    rows = visible_to(request.user, AssessmentEntry.objects.filter(round=round_))
    return list(rows.select_related("region", "subject_region").order_by("region__code", "pk"))


@require_safe
@permission_required("plans.assessmentround.view")
def assessment_detail(request, pk):
    user = request.user
    round_ = get_assessment_for_user(user, pk)
    criteria = _criteria(round_)
    entries = _entries(request, round_)
    for entry in entries:
        entry.cells = _cells(entry, criteria)
        entry.badge = GRADE_BADGES.get(entry.grade, "bg-secondary-lt")
        entry.status_badge = STATUS_BADGES.get(entry.status, "")
    counts = {s: 0 for s, _label in c.EntryStatus.choices}
    for entry in entries:
        counts[entry.status] += 1
    assessor = scope.can(user, round_, "score")
    no_population = [
        e.name for e in entries if e.subject_region_id and e.subject_region.population is None
    ]
    per_capita = any(cr.source in services.PER_CAPITA_SOURCES for cr in criteria)
    return render(
        request,
        "plans/assessment_detail.html",
        {
            "round": round_,
            "criteria": criteria,
            "entries": entries,
            "counts": [(label, counts[s]) for s, label in c.EntryStatus.choices],
            "assessor": assessor,
            "all_confirmed": counts[c.EntryStatus.CONFIRMED] == len(entries),
            "no_population": no_population if per_capita else [],
            "can_refresh": assessor and round_.is_open(),
            "can_publish": round_.can_publish() and scope.can(user, round_, "publish"),
            "can_export": has_permission(user, "plans.assessmentround.export"),
        },
    )


@require_POST
@permission_required("plans.assessmentround.score")
def assessment_refresh(request, pk):
    round_ = get_assessment_for_user(request.user, pk, "score")
    if not round_.is_open():
        return run_step(
            request,
            lambda: services.refresh_round(round_, actor=request.user),
            back=reverse(DETAIL, args=[pk]),
        )
    job = jobs.start(
        "plans.assessment_refresh",
        actor=request.user,
        region=round_.region,
        params={"round": round_.pk},
        idem=form_job_key(request, "plans.assessment_refresh"),
    )
    return redirect(job_page(job))


@require_POST
@permission_required("plans.assessmentround.publish")
def assessment_publish(request, pk):
    round_ = get_assessment_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_round(round_, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("The result is published and frozen."),
    )


def ranking_rows(request, round_):
    """The ranking: the frozen result once published (every subject), else the live
    provisional ranking of the entries the user reads."""
    if round_.is_published():
        return [
            {**row, "grade_label": Grade(row["grade"]).label if row["grade"] else ""}
            for row in round_.results
        ]
    entries = sorted(
        (e for e in _entries(request, round_) if e.total is not None),
        key=lambda e: (e.rank or 10**6, e.pk),
    )
    return [
        {
            "name": e.name,
            "total": f"{e.total}",
            "grade": e.grade,
            "grade_label": Grade(e.grade).label if e.grade else "",
            "rank": e.rank,
            "status": e.get_status_display(),
        }
        for e in entries
    ]


@require_safe
@permission_required("plans.assessmentround.view")
def assessment_ranking(request, pk):
    round_ = get_assessment_for_user(request.user, pk)
    rows = ranking_rows(request, round_)
    for row in rows:
        row["badge"] = GRADE_BADGES.get(row["grade"], "bg-secondary-lt")
    return render(
        request,
        "plans/assessment_ranking.html",
        {
            "round": round_,
            "rows": rows,
            "can_export": has_permission(request.user, "plans.assessmentround.export"),
        },
    )


@exports.builder(
    "plans.assessment", permission="plans.assessmentround.export", back="plans:assessment_list"
)
def assessment_export_rows(request, pk):
    round_ = get_assessment_for_user(request.user, pk, "export")
    criteria = _criteria(round_)
    columns = [
        Column("rank", _("Rank"), text=False, width=6),
        Column("name", _("Assessed"), width=28),
        Column("status", _("Status"), width=12),
        *[
            Column(f"c_{cr.code}", f"{cr.name} ({cr.weight.normalize():f})", width=14)
            for cr in criteria
        ],
        Column("total", _("Total"), text=False, width=10),
        Column("grade", _("Grade"), width=10),
    ]

    def values(entry):
        cells = _cells(entry, criteria)
        return [
            entry.rank,
            entry.name,
            entry.get_status_display(),
            *[cell["points"] or "" for cell in cells],
            float(entry.total) if entry.total is not None else None,
            Grade(entry.grade).label if entry.grade else "",
        ]

    rows = visible_to(request.user, AssessmentEntry.objects.filter(round=round_))
    return exports.Rows(
        queryset=rows.order_by("rank", "pk"),
        action="plans.assessmentround.exported",
        title=str(round_.name)[:31],
        columns=columns,
        to_values=values,
        basename=f"assessment-{round_.pk}",
        detail={"round": round_.pk},
    )


@require_safe
@permission_required("plans.assessmentround.export")
def assessment_export(request, pk):
    return export_list(request, "plans.assessment", pk=pk)


@require_safe
@permission_required("plans.assessmententry.view")
def assessment_entry(request, pk):
    user = request.user
    entry = get_assessment_entry_for_user(user, pk)
    round_ = entry.round
    criteria = _criteria(round_)
    return render(
        request,
        "plans/assessment_entry.html",
        {
            "entry": entry,
            "round": round_,
            "cells": _cells(entry, criteria),
            "claims": _claims(entry, criteria),
            "evidence": entry.evidence.all(),
            "badge": GRADE_BADGES.get(entry.grade, "bg-secondary-lt"),
            "status_badge": STATUS_BADGES.get(entry.status, ""),
            "can_self_assess": entry.can_self_assess() and scope.can(user, entry, "self_assess"),
            "can_score": entry.can_score() and scope.can(user, entry, "score"),
            "can_confirm": entry.can_confirm() and scope.can(user, entry, "confirm"),
        },
    )


@permission_required("plans.assessmententry.self_assess")
def assessment_self_assess(request, pk):
    entry = get_assessment_entry_for_user(request.user, pk, "self_assess")
    back = reverse(ENTRY, args=[pk])
    if not entry.can_self_assess():
        messages.info(request, _("This entry has been scored: the self-assessment is closed."))
        return redirect(back)
    reason = scope.refusal(request.user, entry, "self_assess")
    if reason:
        messages.error(request, reason)
        return redirect(back)
    criteria = services.manual_criteria(entry.round.rubric)
    form = SelfAssessmentForm(
        request.POST or None, request.FILES or None, entry=entry, criteria=criteria
    )
    done = submit_form(
        request,
        form,
        lambda: services.self_assess(
            entry,
            actor=request.user,
            text=form.cleaned_data["self_text"],
            points=form.points(),
            attachments=form.cleaned_data["attachments"],
        ),
        success=back,
        message=_("Self-assessment filed."),
    )
    context = {"entry": entry, "round": entry.round, "evidence": entry.evidence.all()}
    return done or form_page(request, "plans/assessment_self_form.html", form, context)


@permission_required("plans.assessmententry.score")
def assessment_score(request, pk):
    entry = get_assessment_entry_for_user(request.user, pk, "score")
    back = reverse(ENTRY, args=[pk])
    if not entry.can_score():
        messages.info(request, _("This entry can no longer be scored."))
        return redirect(back)
    reason = scope.refusal(request.user, entry, "score")
    if reason:
        messages.error(request, reason)
        return redirect(back)
    criteria = services.manual_criteria(entry.round.rubric)
    form = ScoreForm(request.POST or None, entry=entry, criteria=criteria)
    done = submit_form(
        request,
        form,
        lambda: services.score_entry(
            entry,
            actor=request.user,
            points=form.points(),
            comment=form.cleaned_data["comment"],
        ),
        success=back,
        message=_("Score saved; a second officer confirms it."),
    )
    context = {
        "entry": entry,
        "round": entry.round,
        "claims": _claims(entry, _criteria(entry.round)),
        "evidence": entry.evidence.all(),
    }
    return done or form_page(request, "plans/assessment_score_form.html", form, context)


@require_POST
@permission_required("plans.assessmententry.confirm")
def assessment_confirm(request, pk):
    entry = get_assessment_entry_for_user(request.user, pk, "confirm")
    return run_step(
        request,
        lambda: services.confirm_entry(entry, actor=request.user),
        back=reverse(ENTRY, args=[pk]),
        message=_("Score confirmed."),
    )


@require_safe
@permission_required("plans.assessmentevidence.view")
def assessment_evidence(request, pk, file_pk):
    entry = get_assessment_entry_for_user(request.user, pk)
    evidence = entry.evidence.filter(pk=file_pk).first()
    if evidence is None:
        raise Http404
    audit.record(
        "plans.assessmentevidence.downloaded",
        obj=evidence,
        detail={"entry": entry.pk},
        region_code=entry.region.code,
    )
    return file_response(
        evidence.file, content_type=evidence.content_type, name=evidence.name, download=True
    )
