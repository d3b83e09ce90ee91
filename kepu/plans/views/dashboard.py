"""The plan overview (规划实施总览): where the plan stands, its division-of-work table,
its targets against their straight-line plan, the late items and the units ranked by
on-time reporting; and the same as a progress bulletin (督查通报) in Excel and PDF.

Every figure comes from a fixed number of queries whatever the number of tasks, targets
and reports. Officers of the plan's region see every report; the staff of a unit named
in the plan see the same page with their own unit's reports only (the reports are read
through the data scope like everywhere else).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import F, Prefetch
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import audit, clock, scope
from kepu.core.excel import Column, Writer
from kepu.core.pdf import pdf_response, render_pdf
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import permission_required
from kepu.core.workdays import working_days_between
from kepu.plans import choices as c
from kepu.plans import progress
from kepu.plans.models import Plan, ProgressReport, Target, Task, TaskUnit
from kepu.plans.permissions import get_plan_for_user
from kepu.plans.progress import OVERALL_RULE

LATE_ITEMS_SHOWN = 8
STATE_ORDER = [s.value for s in c.TargetState]
GOOD_STATES = (c.TargetState.MET, c.TargetState.ON_TRACK)
BAD_STATES = (c.TargetState.BEHIND, c.TargetState.MISSED)
TASK_STATUS_ORDER = [*c.TaskStatus.values, c.TASK_OVERDUE]


# --- shared reads (dashboard, bulletins, public page) -----------------------------------


def number(value):
    """A Decimal as an int when whole, else a float (for Excel cells and chart data)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def plan_tasks(plan: Plan) -> list[Task]:
    """The plan's tasks with their units (lead first), in the table's order (2 queries)."""
    units = TaskUnit.objects.select_related("organization").order_by("position")
    return list(
        Task.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related(Prefetch("units", queryset=units))
        .order_by("position", "pk")
    )


def division_table(plan: Plan, tasks: list[Task], *, today, linkable=frozenset()) -> list[dict]:
    """The division-of-work table (工作分工表): the sections in order, each with its tasks
    and, under each task, its actions; tasks without a section come last."""
    children = defaultdict(list)
    for task in tasks:
        if task.parent_id:
            children[task.parent_id].append(task)
    known = {t.pk for t in tasks}
    rows_by_section = defaultdict(list)
    for task in tasks:
        if task.parent_id and task.parent_id in known:
            continue
        rows_by_section[task.section_id].append(_task_row(task, 0, today, linkable))
        for child in children[task.pk]:
            rows_by_section[task.section_id].append(_task_row(child, 1, today, linkable))
    groups = [
        {"section": section, "rows": rows_by_section[section.pk]}
        for section in plan.sections.all()
        if rows_by_section.get(section.pk)
    ]
    if rows_by_section.get(None):
        groups.append({"section": None, "rows": rows_by_section[None]})
    return groups


def _task_row(task: Task, depth: int, today, linkable) -> dict:
    overdue = task.is_overdue(today)
    status = c.TASK_OVERDUE if overdue else task.status
    lead = task.lead_unit()
    return {
        "task": task,
        "depth": depth,
        "lead": lead,
        "responsible": "、".join(str(u) for u in task.responsible_units()),
        "status": status,
        "status_label": c.TASK_DISPLAY[status],
        "days_late": (today - task.deadline).days if overdue else 0,
        "link": task.pk in linkable,
    }


def target_rows(targets, standings, *, linkable=frozenset()) -> list[dict]:
    """Top-level targets in order, each followed by its parts, with their standings."""
    by_pk = {s.target.pk: s for s in standings}
    parts = defaultdict(list)
    for target in targets:
        if target.parent_id:
            parts[target.parent_id].append(target)
    rows = []
    for target in targets:
        if target.parent_id:
            continue
        rows.append(_target_row(target, by_pk[target.pk], 0, linkable, len(parts[target.pk])))
        for part in parts[target.pk]:
            rows.append(_target_row(part, by_pk[part.pk], 1, linkable, 0))
    return rows


def _target_row(target, standing, depth, linkable, n_parts) -> dict:
    return {
        "target": target,
        "standing": standing,
        "depth": depth,
        "where": target.organization or target.region,
        "parts": n_parts,
        "link": target.pk in linkable,
    }


def plan_targets(plan: Plan) -> list[Target]:
    return list(
        Target.objects.filter(plan=plan)
        .select_related("region", "organization")
        .order_by(F("parent_id").asc(nulls_first=True), "position", "pk")
    )


def state_counts(standings) -> list[dict]:
    counts = Counter(s.state for s in standings)
    return [
        {"state": state, "label": c.TargetState(state).label, "count": counts.get(state, 0)}
        for state in STATE_ORDER
    ]


# --- the overview -----------------------------------------------------------------------


def overview(plan: Plan, user, *, today=None) -> dict:
    """Everything the dashboard and the bulletins show, read within `user`'s scope."""
    today = today or clock.today()
    tasks = plan_tasks(plan)
    linkable_tasks = set(
        visible_to(user, Task.objects.filter(plan=plan), public=False).values_list("pk", flat=True)
    )
    table = division_table(plan, tasks, today=today, linkable=linkable_tasks)
    all_tasks = Task.objects.filter(plan=plan)
    counts = progress.task_counts(all_tasks, today)
    task_total = sum(counts.values())

    targets = plan_targets(plan)
    standings = progress.standings(targets, today)
    linkable_targets = set(
        visible_to(user, Target.objects.filter(plan=plan), public=False).values_list(
            "pk", flat=True
        )
    )
    rows = target_rows(targets, standings, linkable=linkable_targets)
    top_standings = [r["standing"] for r in rows if r["depth"] == 0]

    reports = visible_to(user, ProgressReport.objects.filter(task__plan=plan), public=False)
    report_counts = progress.report_counts(reports, today)
    ranking = progress.unit_ranking(reports, today)
    for rank, row in enumerate(ranking, start=1):
        row["rank"] = rank
    due = sum(r["due"] for r in ranking)
    on_time = sum(r["on_time"] for r in ranking)
    overdue_reports = [
        {"report": r, "days_late": working_days_between(r.due_date, today)}
        for r in reports.overdue(today)
        .with_relations()
        .order_by("due_date", "task__position", "organization__name")[:LATE_ITEMS_SHOWN]
    ]
    task_rows = [row for group in table for row in group["rows"]]
    overdue_tasks = sorted(
        (row for row in task_rows if row["status"] == c.TASK_OVERDUE),
        key=lambda row: (row["task"].deadline, row["task"].position),
    )
    return {
        "today": today,
        "table": table,
        "task_rows": task_rows,
        "task_counts": counts,
        "task_total": task_total,
        "task_status": [
            {"status": s, "label": c.TASK_DISPLAY[s], "count": counts.get(s, 0)}
            for s in TASK_STATUS_ORDER
        ],
        "overall": progress.plan_overall(plan, today, known=top_standings),
        "targets": rows,
        "top_targets": [r for r in rows if r["depth"] == 0],
        "target_states": state_counts(top_standings),
        "targets_good": sum(s.state in GOOD_STATES for s in top_standings),
        "targets_bad": sum(s.state in BAD_STATES for s in top_standings),
        "reports": report_counts,
        "on_time_rate": round(on_time * 100 / due) if due else None,
        "reports_due": due,
        "reports_on_time": on_time,
        "ranking": ranking,
        "overdue_tasks": overdue_tasks,
        "overdue_reports": overdue_reports,
        "more_overdue_reports": max(report_counts["overdue"] - len(overdue_reports), 0),
    }


def _chart(data) -> dict:
    return {
        "tasks": [
            {"key": row["status"], "name": str(row["label"]), "value": row["count"]}
            for row in data["task_status"]
        ],
        "empty": _("No tasks yet."),
    }


@require_safe
@permission_required("plans.plan.view")
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    user = request.user
    data = overview(plan, user)
    can_change = scope.can(user, plan, "change")
    can_publish = scope.can(user, plan, "publish")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            **data,
            "chart_data": _chart(data),
            "can_change": can_change,
            "can_publish": can_publish and plan.can_publish(),
            "can_close": can_publish and plan.status == c.PlanStatus.PUBLISHED,
            "can_add_target": can_change and has_permission(user, "plans.target.change"),
            "can_export": scope.can(user, plan, "export"),
            "can_see_reports": has_permission(user, "plans.progressreport.view"),
            # An officer reading a plan of another region that applies to theirs.
            "read_only": not can_change and has_permission(user, "plans.plan.change"),
            "is_officer": has_permission(user, "plans.progressreport.review"),
        },
    )


# --- the bulletin (督查通报) --------------------------------------------------------------


def _percent_or_dash(value) -> str:
    return f"{value}%" if value is not None else "—"


def _percent(standing):
    return standing.percent if standing.percent is not None else ""


def _record_export(request, plan, fmt, data):
    audit.record(
        "plans.plan.exported",
        obj=plan,
        actor=request.user,
        detail={
            "format": fmt,
            "tasks": data["task_total"],
            "targets": len(data["targets"]),
            "units": len(data["ranking"]),
        },
    )


def _filename(plan, ext) -> str:
    return f"plan-bulletin-{plan.pk}-{clock.today():%Y%m%d}.{ext}"


def _bulletin_title(plan) -> str:
    return _("Progress of “%(plan)s”") % {"plan": plan.title}


def _summary(plan, data) -> list[str]:
    """The overview paragraphs of the bulletin."""
    counts = data["task_counts"]
    lines = [
        _(
            "As of %(date)s, the plan has %(total)d tasks: %(done)d done, %(doing)d in "
            "progress, %(waiting)d not started and %(overdue)d overdue."
        )
        % {
            "date": formats.date_format(data["today"], "DATE_FORMAT"),
            "total": data["task_total"],
            "done": counts.get(c.TaskStatus.DONE, 0),
            "doing": counts.get(c.TaskStatus.IN_PROGRESS, 0),
            "waiting": counts.get(c.TaskStatus.NOT_STARTED, 0),
            "overdue": counts.get(c.TASK_OVERDUE, 0),
        }
    ]
    overall = data["overall"]
    if overall.percent is not None:
        lines.append(
            _(
                "Its overall progress is %(percent)d%%: the mean of its targets' completion "
                "(%(targets)s) and its tasks' completion (%(tasks)s)."
            )
            % {
                "percent": overall.percent,
                "targets": _percent_or_dash(overall.targets_percent),
                "tasks": _percent_or_dash(overall.tasks_percent),
            }
        )
    if data["top_targets"]:
        states = {row["state"]: row["count"] for row in data["target_states"]}
        lines.append(
            _(
                "Of its %(total)d targets, %(met)d are met, %(on_track)d on track, "
                "%(behind)d behind plan and %(missed)d missed; %(no_data)d have no data yet."
            )
            % {"total": len(data["top_targets"]), **states}
        )
    reports = data["reports"]
    if reports["total"]:
        text = _(
            "Of %(due)d progress reports due, %(on_time)d were submitted on time; "
            "%(accepted)d have been accepted and %(overdue)d are overdue."
        ) % {
            "due": data["reports_due"],
            "on_time": data["reports_on_time"],
            "accepted": reports["accepted"],
            "overdue": reports["overdue"],
        }
        lines.append(text)
    return lines


def target_columns():
    return [
        Column("name", _("Indicator"), width=36),
        Column("where", _("Region or unit"), width=22),
        Column("unit", _("Unit of measure"), width=10),
        Column("source", _("Actual value from"), width=16),
        Column("baseline_date", _("Baseline date"), width=12),
        Column("baseline", _("Baseline value"), text=False, width=12),
        Column("comparison", _("Met when"), width=8),
        Column("target", _("Target value"), text=False, width=12),
        Column("deadline", _("Deadline"), width=12),
        Column("expected", _("Expected by now"), text=False, width=12),
        Column("actual", _("Actual value"), text=False, width=12),
        Column("percent", _("Completed (%)"), text=False, width=10),
        Column("state", _("Standing"), width=12),
    ]


def target_values(row) -> list:
    t, s = row["target"], row["standing"]
    return [
        ("　" * row["depth"]) + t.name,
        str(row["where"]),
        t.unit,
        t.get_source_display(),
        t.baseline_date.isoformat(),
        number(t.baseline_value),
        t.comparison_sign,
        number(t.target_value),
        t.deadline.isoformat(),
        round(float(s.expected), 2),
        number(s.actual),
        _percent(s),
        str(s.state_label),
    ]


def _task_columns():
    return [
        Column("section", _("Section"), width=18),
        Column("number", _("No."), width=6),
        Column("task", _("Task"), width=48),
        Column("lead", _("Lead unit"), width=22),
        Column("responsible", _("Responsible units"), width=36),
        Column("deadline", _("Deadline"), width=12),
        Column("status", _("Status"), width=10),
        Column("progress", _("Progress (%)"), text=False, width=10),
    ]


def _ranking_columns():
    return [
        Column("rank", _("Rank"), text=False, width=6),
        Column("unit", _("Unit"), width=30),
        Column("due", _("Reports due"), text=False, width=10),
        Column("on_time", _("On time"), text=False, width=10),
        Column("late", _("Late"), text=False, width=10),
        Column("overdue", _("Overdue"), text=False, width=10),
        Column("accepted", _("Accepted"), text=False, width=10),
        Column("rate", _("On-time rate (%)"), text=False, width=12),
    ]


def _late_columns():
    return [
        Column("kind", _("Item"), width=14),
        Column("task", _("Task"), width=48),
        Column("unit", _("Unit"), width=26),
        Column("period", _("Period"), width=12),
        Column("due", _("Due"), width=12),
        Column("late", _("Days late"), text=False, width=10),
    ]


def _late_rows(data) -> list[list]:
    rows = [
        [
            _("Task overdue"),
            str(row["task"]),
            str(row["lead"] or ""),
            "",
            row["task"].deadline.isoformat(),
            row["days_late"],
        ]
        for row in data["overdue_tasks"]
    ]
    rows += [
        [
            _("Report overdue"),
            str(item["report"].task),
            str(item["report"].organization),
            item["report"].period_label,
            item["report"].due_date.isoformat(),
            item["days_late"],
        ]
        for item in data["overdue_reports_all"]
    ]
    return rows


def _bulletin_data(request, plan) -> dict:
    data = overview(plan, request.user)
    # The bulletin lists every overdue report, not the first few the page shows.
    reports = visible_to(request.user, ProgressReport.objects.filter(task__plan=plan), public=False)
    data["overdue_reports_all"] = [
        {"report": r, "days_late": working_days_between(r.due_date, data["today"])}
        for r in reports.overdue(data["today"])
        .with_relations()
        .order_by("due_date", "task__position", "organization__name")
    ]
    return data


@require_safe
@permission_required("plans.plan.export")
def bulletin_xlsx(request, pk):
    plan = get_plan_for_user(request.user, pk, "export")
    data = _bulletin_data(request, plan)
    _record_export(request, plan, "xlsx", data)
    writer = Writer()

    summary = writer.sheet(
        _("Summary")[:31], [Column("k", _("Item"), width=24), Column("v", _("Value"), width=90)]
    )
    lines = [
        (_("Plan"), plan.title),
        (_("Issued by"), plan.issuer),
        (_("Document number"), plan.document_number),
        (_("Region"), plan.region.name),
        (_("Period"), f"{plan.period_start:%Y-%m-%d} – {plan.period_end:%Y-%m-%d}"),
        (_("As of"), data["today"].isoformat()),
        (
            _("Overall progress (%)"),
            data["overall"].percent if data["overall"].percent is not None else "",
        ),
        (_("How it is derived"), str(OVERALL_RULE)),
        (
            _("On-time reporting rate (%)"),
            data["on_time_rate"] if data["on_time_rate"] is not None else "",
        ),
        *((_("Overview"), line) for line in _summary(plan, data)),
    ]
    for r, values in enumerate(lines, start=1):
        writer.write_row(summary, r, list(values))

    sheet = writer.sheet(_("Targets")[:31], target_columns())
    for r, row in enumerate(data["targets"], start=1):
        writer.write_row(sheet, r, target_values(row))

    sheet = writer.sheet(_("Tasks")[:31], _task_columns())
    r = 0
    for group in data["table"]:
        for row in group["rows"]:
            r += 1
            task = row["task"]
            writer.write_row(
                sheet,
                r,
                [
                    str(group["section"] or ""),
                    task.number,
                    ("　" * row["depth"]) + task.title,
                    str(row["lead"] or ""),
                    row["responsible"],
                    task.deadline.isoformat() if task.deadline else "",
                    str(row["status_label"]),
                    task.progress,
                ],
            )

    sheet = writer.sheet(_("Units on-time ranking")[:31], _ranking_columns())
    for r, row in enumerate(data["ranking"], start=1):
        writer.write_row(
            sheet,
            r,
            [
                row["rank"],
                row["organization__name"],
                row["due"],
                row["on_time"],
                row["late"],
                row["overdue"],
                row["accepted"],
                row["rate"] if row["rate"] is not None else "",
            ],
        )

    sheet = writer.sheet(_("Overdue items")[:31], _late_columns())
    for r, values in enumerate(_late_rows(data), start=1):
        writer.write_row(sheet, r, values)
    return writer.close(_filename(plan, "xlsx"))


def _issuer(user, plan) -> str:
    """Who issues the bulletin: the user's own organization, else the plan's issuer."""
    own = getattr(user, "organization", None)
    return own.name if own is not None else plan.issuer


@require_safe
@permission_required("plans.plan.export")
def bulletin_pdf(request, pk):
    """One plan's bulletin, made in the request: one document of a few pages (0.3–0.5 s
    with WeasyPrint, measured for issue 17). The platform's rule: one PDF in the request,
    a batch of PDFs in a background job (`kepu.core.pdf.zip_job_output`)."""
    plan = get_plan_for_user(request.user, pk, "export")
    data = _bulletin_data(request, plan)
    _record_export(request, plan, "pdf", data)
    content = render_pdf(
        "plans/bulletin_pdf.html",
        {
            "plan": plan,
            **data,
            "title": _bulletin_title(plan),
            "summary": _summary(plan, data),
            "issuer": _issuer(request.user, plan),
            "issued_on": formats.date_format(data["today"], "DATE_FORMAT"),
        },
    )
    return pdf_response(content, _filename(plan, "pdf"))
