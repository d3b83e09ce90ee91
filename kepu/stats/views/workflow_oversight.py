"""Oversight of a round: approval up the tree (a region's state, its children, the
blockers, approve and return), completeness and timeliness per region (with export), and
the validation report (the returns with findings, counted per rule)."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit
from kepu.core.excel import Column, export_response
from kepu.core.models import Region
from kepu.core.scope import allowed_regions, has_permission, region_q, visible_to
from kepu.core.views.common import permission_required, run_step
from kepu.stats import choices as c
from kepu.stats.forms.workflow import RequiredReasonForm
from kepu.stats.models import RegionApproval, Return
from kepu.stats.permissions import get_round_for_user
from kepu.stats.services import approvals, completeness
from kepu.stats.views.workflow_common import approves, focus_region, returns_approval

A = c.ApprovalStatus


@require_safe
@permission_required("stats.regionapproval.view")
def approval(request, pk):
    survey = get_round_for_user(request.user, pk)
    region = focus_region(request, survey, RegionApproval)
    row = RegionApproval.objects.filter(round=survey, region=region).first()
    status = row.status if row else A.PENDING
    total, children = completeness.breakdown(survey, region)
    user = request.user
    waiting = approvals.blockers(survey, region) if status != A.APPROVED else []
    own_officer = approves(user, region)
    parent_open = not (
        region.parent_id
        and RegionApproval.objects.filter(
            round=survey, region_id=region.parent_id, status=A.APPROVED
        ).exists()
    )
    return render(
        request,
        "stats/workflow/approval.html",
        {
            "survey": survey,
            "region": region,
            "approval": row,
            "status": status,
            "status_label": A(status).label,
            "total": total,
            "children": [ch for ch in children if not ch.own],
            "own": next((ch for ch in children if ch.own), None),
            "blockers": waiting,
            "can_approve": own_officer and status != A.APPROVED and not waiting
            and survey.status == c.RoundStatus.OPEN,
            "approver": own_officer,
            "can_send_back": returns_approval(user, region) and status == A.APPROVED
            and parent_open,
            "parent_of_children": own_officer,
            "reason_form": RequiredReasonForm(),
            "ancestors": list(region.ancestors()) if region.level > 1 else [],
        },
    )  # fmt: skip


def _region(survey, user, region_id) -> Region:
    region = allowed_regions(user, RegionApproval, "view").filter(pk=region_id).first()
    if region is None or not region.is_within(survey.region):
        raise Http404
    return region


def _back(survey, region):
    return f"{reverse('stats:approval', args=[survey.pk])}?region={region.pk}"


@require_POST
@permission_required("stats.regionapproval.approve")
def approval_approve(request, pk, region_id):
    survey = get_round_for_user(request.user, pk)
    region = _region(survey, request.user, region_id)
    if not approves(request.user, region):
        raise PermissionDenied  # only the region's own officers approve it
    return run_step(
        request,
        lambda: approvals.approve(survey, region, actor=request.user),
        back=_back(survey, region),
        message=_("%(region)s approved.") % {"region": region.name},
    )


@require_POST
@permission_required("stats.regionapproval.approve")
def approval_send_back(request, pk, region_id):
    survey = get_round_for_user(request.user, pk)
    region = _region(survey, request.user, region_id)
    if not returns_approval(request.user, region):
        raise PermissionDenied  # only the level above returns an approval
    return run_step(
        request,
        lambda: approvals.send_back(
            survey, region, actor=request.user, reason=request.POST.get("reason", "")
        ),
        back=f"{reverse('stats:approval', args=[survey.pk])}?region={region.parent_id}",
        message=_("The approval of %(region)s is returned with your reason.")
        % {"region": region.name},
    )


# -- completeness and timeliness -------------------------------------------------------


def _percent(value):
    return "" if value is None else f"{value}%"


def _columns() -> list[Column]:
    """The export's columns, in the reader's language."""
    return [
        Column("region", _("Region"), width=16),
        Column("assigned", _("Units assigned"), width=10),
        Column("not_started", pgettext("statistics", "Not started"), width=10),
        Column("draft", pgettext("statistics", "Being filled"), width=10),
        Column("submitted", pgettext("statistics", "Submitted"), width=10),
        Column("returned", pgettext("statistics", "Returned"), width=10),
        Column("accepted", pgettext("statistics", "Accepted"), width=10),
        Column("on_time", _("On time"), width=10),
        Column("late", _("Late"), width=10),
        Column("overdue", _("Overdue"), width=10),
        Column("completeness", pgettext("share of units accepted", "Completeness"), width=10),
        Column("timeliness", _("Timeliness"), width=10),
        Column("approval", _("Approval"), width=14),
    ]


def _name(row, region):
    if row.own:
        return _("%(region)s (own units)") % {"region": region.name}
    return row.region.name


@require_safe
@permission_required("stats.surveyround.view")
def completeness_page(request, pk):
    survey = get_round_for_user(request.user, pk)
    region = focus_region(request, survey)
    total, rows = completeness.breakdown(survey, region)
    if request.GET.get("format") == "xlsx":
        if not has_permission(request.user, "stats.surveyround.export"):
            raise PermissionDenied
        audit.record(
            "stats.surveyround.completeness_exported", obj=survey, actor=request.user,
            detail={"region": region.code, "rows": len(rows)},
        )  # fmt: skip
        return export_response(
            pgettext("share of units accepted", "Completeness"),
            _columns(),
            [*rows, total],
            lambda r: [
                _("Total") if r is total else _name(r, region),
                r.assigned,
                r.not_started,
                r.draft,
                r.submitted,
                r.returned,
                r.accepted,
                r.on_time,
                r.late,
                r.overdue,
                _percent(r.completeness),
                _percent(r.timeliness),
                r.get_approval_display(),
            ],  # fmt: skip
            f"stats-completeness-{region.code}.xlsx",
        )
    return render(
        request,
        "stats/workflow/completeness.html",
        {
            "survey": survey,
            "region": region,
            "total": total,
            "rows": [(r, _name(r, region)) for r in rows],
            "can_export": has_permission(request.user, "stats.surveyround.export"),
            "ancestors": list(region.ancestors()) if region.level > 1 else [],
        },
    )


# -- the validation report -------------------------------------------------------------

LISTED = 200


def _rule(key: str) -> str:
    return ":".join(key.split(":")[:2])


@require_safe
@permission_required("stats.return.view")
def validation_report(request, pk):
    survey = get_round_for_user(request.user, pk)
    region = focus_region(request, survey)
    problems = (
        visible_to(request.user, Return, public=False)
        .filter(region_q("region", [region]), round=survey)
        .exclude(errors=0, unexplained=0)
        .select_related("organization", "region")
        .order_by("region_id", "pk")
    )
    rules: Counter = Counter()
    sample: dict[str, dict] = {}
    listed = []
    for ret in problems.only("pk", "findings", "explanations", "errors", "unexplained",
                             "organization__name", "region__name", "status"):  # fmt: skip
        seen = set()
        open_findings = [
            f for f in ret.findings
            if f["importance"] == c.Importance.ERROR or not ret.explanations.get(f["key"])
        ]  # fmt: skip
        for f in open_findings:
            rule = _rule(f["key"])
            if rule not in seen:
                rules[rule] += 1
                seen.add(rule)
                sample.setdefault(rule, f)
        if len(listed) < LISTED:
            listed.append((ret, open_findings))
    return render(
        request,
        "stats/workflow/validation_report.html",
        {
            "survey": survey,
            "region": region,
            "rules": [
                {
                    "rule": rule,
                    "count": n,
                    "importance": sample[rule]["importance"],
                    "message": sample[rule]["message"],
                }
                for rule, n in rules.most_common()
            ],  # fmt: skip
            "listed": listed,
            "limit": LISTED,
        },
    )
