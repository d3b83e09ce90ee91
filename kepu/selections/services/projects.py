"""Funded projects (科普专项): creation (from an awarded entry of a funded-project call, or
directly), changes, the budget (预算表), the contract, milestones, the performance targets
(绩效目标表) and their actual values, the mid-term check and the acceptance (结题验收) on a
rubric, disbursements (never beyond the approved amount; 事后补助 only after acceptance),
termination, and the outputs linked to the registries. Every change is audited and keeps
the rollup counters (`kepu.selections.rollups`) in the same transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.rubrics import engine
from kepu.rubrics.choices import Grade, Purpose, RubricStatus
from kepu.selections import choices as c
from kepu.selections import rollups as counters
from kepu.selections.models import (
    BudgetLine,
    Disbursement,
    Milestone,
    PerformanceTarget,
    Project,
    ProjectCheck,
    ProjectOutput,
)

S = c.ProjectStatus
ACCEPTANCE_RUBRIC = "科普专项结题验收"
YEARS = (2000, 2100)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def money(amount) -> str:
    """An amount as written in Chinese documents: 125,000.00 元."""
    return _("%(amount)s yuan") % {"amount": f"{Decimal(amount or 0):,.2f}"}


def _decimal(value, field, *, positive=True) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError({field: [_("Give an amount in yuan.")]}) from None
    if not amount.is_finite() or (positive and amount <= 0) or amount < 0:
        raise DomainError({field: [_("Give an amount above zero.")]})
    if amount >= Decimal("10000000000"):
        raise DomainError({field: [_("This amount is too large.")]})
    return amount


def _may(actor, project, action) -> None:
    """The actor's right on this very row (scope and role), then its object rules."""
    if (
        actor is not None
        and not scope.visible_to(actor, Project, action).filter(pk=project.pk).exists()
    ):
        raise DomainError(_("You may not do this on this project."))
    scope.check(actor, project, action)


def _locked(project) -> Project:
    return Project.objects.select_for_update(of=("self",)).get(pk=project.pk)


def _require_open(project) -> None:
    if not project.is_open():
        raise StateConflict(_("This project is closed."))


# --- creating and changing --------------------------------------------------------------


def _check_fields(project: Project) -> None:
    """The project's own rules (the form says the same): the level's cap, a note for a
    major project, the window, the year."""
    errors: dict[str, list] = {}
    if not (project.title or "").strip():
        errors["title"] = [_("Give the project a title.")]
    if not YEARS[0] <= (project.year or 0) <= YEARS[1]:
        errors["year"] = [_("Give a year between 2000 and 2100.")]
    if project.project_type not in c.ProjectType.values:
        errors["project_type"] = [_("Choose a type from the list.")]
    if project.level not in c.ProjectLevel.values:
        errors["level"] = [_("Choose a level from the list.")]
    if project.funding_mode not in c.FundingMode.values:
        errors["funding_mode"] = [_("Choose a funding mode from the list.")]
    cap = c.LEVEL_CAPS.get(project.level)
    if cap is not None and project.approved_amount > cap:
        errors["approved_amount"] = [
            _("%(amount)s is above the cap of %(cap)s for a %(level)s project.")
            % {
                "amount": money(project.approved_amount),
                "cap": money(cap),
                "level": c.ProjectLevel(project.level).label,
            }
        ]
    if project.level == c.ProjectLevel.MAJOR and not (project.summary or "").strip():
        errors["summary"] = [
            _("A major project is decided case by case: give the reasons in the summary.")
        ]
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors["ends_on"] = [_("The end date is before the start date.")]
    if errors:
        raise DomainError(errors)


def _next_number(year: int) -> str:
    prefix = f"{year}-KP-"
    taken = Project.objects.filter(year=year, number__startswith=prefix).values_list(
        "number", flat=True
    )
    serial = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{serial + 1:03d}"


def _from_entry(entry, fields: dict) -> dict:
    from kepu.selections.models import Entry

    entry = Entry.objects.select_related("call").get(pk=entry.pk)
    if entry.call.kind != c.CallKind.PROJECT:
        raise DomainError(_("Only an entry of a funded-project call becomes a project."))
    if entry.status != c.EntryStatus.AWARDED:
        raise StateConflict(_("Only an awarded entry becomes a project."))
    if Project.objects.filter(entry=entry).exists():
        raise StateConflict(_("This entry already has its project."))
    if entry.organization_id is None:
        raise DomainError(_("The entry names no undertaking unit."))
    defaults = {
        "title": entry.title,
        "organization": entry.organization,
        "year": entry.call.year,
        "approved_amount": entry.amount_requested,
        "summary": entry.summary,
    }
    return {**{k: v for k, v in defaults.items() if v is not None}, **fields, "call": entry.call}


@transaction.atomic
def create_project(*, actor, entry=None, **fields) -> Project:
    """A funded project of a unit in the actor's scope: from an awarded entry of a
    funded-project call (its title, unit, year and amount requested as the defaults) or
    entered directly. The approved amount is within the level's cap (a major project is
    decided case by case, with a note); the number is `<year>-KP-NNN` when not given."""
    unknown = set(fields) - set(Project.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if entry is not None:
        fields = _from_entry(entry, fields)
    organization = fields.get("organization")
    if organization is None:
        raise DomainError({"organization": [_("Choose the undertaking unit.")]})
    scope.require_region(actor, Project, "create", organization.region)
    for name in ("starts_on", "ends_on"):
        if not fields.get(name):
            raise DomainError({name: [_("Give a date.")]})
    fields["approved_amount"] = _decimal(fields.get("approved_amount"), "approved_amount")
    project = Project(
        entry=entry,
        region=organization.region,
        created_by=_user(actor),
        created_at=clock.now(),
        **fields,
    )
    _check_fields(project)
    if not project.number:
        project.number = _next_number(project.year)
    project.next_due = project.ends_on
    project.save()
    counters.added(project)
    audit.created(project, actor=actor)
    return project


@transaction.atomic
def change_project(project: Project, *, actor, **fields) -> Project:
    """Change an open project's data. The approved amount never drops below what was
    paid or what the budget lines add up to; a new unit must be in the actor's scope."""
    project = _locked(project)
    _may(actor, project, "change")
    _require_open(project)
    unknown = set(fields) - set(Project.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "approved_amount" in fields:
        fields["approved_amount"] = _decimal(fields["approved_amount"], "approved_amount")
        budget = project.budget.aggregate(n=Sum("amount"))["n"] or Decimal(0)
        floor = max(project.disbursed, budget)
        if fields["approved_amount"] < floor:
            raise DomainError(
                {
                    "approved_amount": [
                        _("The approved amount cannot be below %(floor)s (paid or budgeted).")
                        % {"floor": money(floor)}
                    ]
                }
            )
    organization = fields.get("organization")
    if organization is not None and organization.pk != project.organization_id:
        scope.require_region(actor, Project, "create", organization.region)
    before = audit.snapshot(project)
    with counters.tracked(project):
        for name, value in fields.items():
            setattr(project, name, value)
        if organization is not None:
            project.region = organization.region
        _check_fields(project)
        if not project.number:
            project.number = _next_number(project.year)
        project.next_due = _next_due(project)
        project.save(update_fields=[*fields, "region", "number", "next_due"])
    audit.record(
        "selections.project.changed",
        obj=project,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(project)),
    )
    return project


# --- budget and contract ------------------------------------------------------------------


@transaction.atomic
def set_budget(project: Project, *, actor, lines) -> list[BudgetLine]:
    """Replace the budget (预算表): `lines` is [(category, amount, note)] or dicts, one per
    category, adding up to at most the approved amount."""
    project = _locked(project)
    _may(actor, project, "change")
    _require_open(project)
    parsed, seen, errors = [], set(), []
    for line in lines:
        if isinstance(line, dict):
            category, amount, note = line["category"], line["amount"], line.get("note", "")
        else:
            category, amount, note = (*line, "")[:3]
        if category not in c.BudgetCategory.values:
            errors.append(_("Unknown budget category: %(c)s.") % {"c": category})
            continue
        label = c.BudgetCategory(category).label
        if category in seen:
            errors.append(_("%(c)s appears twice: one line per category.") % {"c": label})
            continue
        seen.add(category)
        try:
            amount = _decimal(amount, "lines")
        except DomainError:
            errors.append(_("%(c)s: give an amount above zero.") % {"c": label})
            continue
        parsed.append(BudgetLine(project=project, category=category, amount=amount, note=note))
    if errors:
        raise DomainError({"lines": errors})
    total = sum((x.amount for x in parsed), Decimal(0))
    if total > project.approved_amount:
        raise DomainError(
            {
                "lines": [
                    _(
                        "The budget adds up to %(total)s, %(over)s over the approved amount "
                        "of %(approved)s."
                    )
                    % {
                        "total": money(total),
                        "over": money(total - project.approved_amount),
                        "approved": money(project.approved_amount),
                    }
                ]
            }
        )
    before = {b.category: str(b.amount) for b in project.budget.all()}
    project.budget.all().delete()
    BudgetLine.objects.bulk_create(parsed)
    audit.record(
        "selections.project.budget_set",
        obj=project,
        actor=actor,
        changes={"budget": [before, {x.category: str(x.amount) for x in parsed}]},
        detail={"total": str(total)},
    )
    return list(project.budget.all())


@transaction.atomic
def sign_contract(project: Project, *, actor, number, signed_on) -> Project:
    """The contract (任务书) is signed: its number and date; the project is under way."""
    project = _locked(project)
    _may(actor, project, "change")
    if project.status != S.APPROVED:
        raise StateConflict(_("Only an approved project signs its contract."))
    number = (number or "").strip()
    if not number:
        raise DomainError({"number": [_("Give the contract number.")]})
    if signed_on is None or signed_on > clock.today():
        raise DomainError({"signed_on": [_("Give the date it was signed (not in the future).")]})
    before = audit.snapshot(project)
    with counters.tracked(project):
        project.contract_number = number
        project.contract_signed_on = signed_on
        project.status = S.CONTRACTED
        project.save(update_fields=["contract_number", "contract_signed_on", "status"])
    audit.record(
        "selections.project.contracted",
        obj=project,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(project)),
    )
    return project


# --- milestones -------------------------------------------------------------------------


def _next_due(project: Project) -> datetime.date | None:
    """The earliest undone milestone's due date, else the end date; None once closed."""
    if not project.is_open():
        return None
    first = Milestone.objects.filter(project=project, done_on__isnull=True).order_by("due_on")
    due = first.values_list("due_on", flat=True).first()
    return due or project.ends_on


def _keep_due(project: Project) -> None:
    project.next_due = _next_due(project)
    project.save(update_fields=["next_due"])


@transaction.atomic
def add_milestone(project: Project, *, actor, title, due_on, note="") -> Milestone:
    project = _locked(project)
    _may(actor, project, "change")
    _require_open(project)
    title = (title or "").strip()
    if not title:
        raise DomainError({"title": [_("Give the milestone a title.")]})
    if due_on is None:
        raise DomainError({"due_on": [_("Give a date.")]})
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on, note=note)
    _keep_due(project)
    audit.created(milestone, actor=actor, detail={"project": project.pk})
    return milestone


@transaction.atomic
def complete_milestone(milestone: Milestone, *, actor, done_on=None) -> Milestone:
    """Mark a milestone done (by the unit reporting or an officer)."""
    project = _locked(milestone.project)
    _may(actor, project, "report")
    _require_open(project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, project=project)
    if milestone.done_on is not None:
        raise StateConflict(_("This milestone is already done."))
    done_on = done_on or clock.today()
    if done_on > clock.today():
        raise DomainError({"done_on": [_("The date cannot be in the future.")]})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _keep_due(project)
    audit.record(
        "selections.milestone.done",
        obj=milestone,
        actor=actor,
        object_repr=f"{project} · {milestone}",
        detail={"project": project.pk, "done_on": done_on.isoformat()},
    )
    return milestone


# --- performance targets ----------------------------------------------------------------


@transaction.atomic
def add_target(project: Project, *, actor, kind, indicator, target, unit="") -> PerformanceTarget:
    """A row of the performance-target table, set at approval (before acceptance)."""
    project = _locked(project)
    _may(actor, project, "change")
    if project.status not in (S.APPROVED, S.CONTRACTED):
        raise StateConflict(_("Targets are set before the project goes to acceptance."))
    if kind not in c.TargetKind.values:
        raise DomainError({"kind": [_("Choose a kind from the list.")]})
    if not (indicator or "").strip():
        raise DomainError({"indicator": [_("Name the indicator.")]})
    row = PerformanceTarget.objects.create(
        project=project,
        kind=kind,
        indicator=indicator.strip(),
        unit=unit,
        target=_decimal(target, "target"),
    )
    audit.created(row, actor=actor, detail={"project": project.pk})
    return row


@transaction.atomic
def report_actuals(project: Project, *, actor, actuals: dict) -> list[PerformanceTarget]:
    """The unit's staff (or an officer) report the actual values: {target id: value}."""
    project = _locked(project)
    _may(actor, project, "report")
    if project.status not in (S.CONTRACTED, S.ACCEPTANCE):
        raise StateConflict(_("Actual values are reported while the project is under way."))
    rows = {t.pk: t for t in project.targets.all()}
    changes = {}
    for key, value in actuals.items():
        row = rows.get(int(key))
        if row is None:
            raise DomainError(_("This target is not one of the project's."))
        if value in (None, ""):
            continue
        amount = _decimal(value, "actual", positive=False)
        changes[row.indicator] = [str(row.actual) if row.actual is not None else None, str(amount)]
        row.actual = amount
        row.save(update_fields=["actual"])
    audit.record("selections.project.actuals_reported", obj=project, actor=actor, changes=changes)
    return list(rows.values())


# --- checks and acceptance ----------------------------------------------------------------


def acceptance_rubric(region=None):
    """The rubric in use for project checks: the newest in-use rubric named
    ACCEPTANCE_RUBRIC (an officer's copy keeps the name); made from the preset at the
    province the first time."""
    from kepu.core.models import Region
    from kepu.rubrics import services as rubric_services
    from kepu.rubrics.models import Rubric
    from kepu.selections.presets import project_acceptance_criteria

    found = (
        Rubric.objects.filter(name=ACCEPTANCE_RUBRIC, status=RubricStatus.IN_USE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if found is not None:
        return found
    root = Region.objects.filter(parent__isnull=True).order_by("code").first()
    if region is not None:
        root = Region.objects.filter(code=region.code[:2]).first() or root
    return rubric_services.create_rubric(
        actor=None,
        name=ACCEPTANCE_RUBRIC,
        purpose=Purpose.OTHER,
        region=root,
        description=_("Acceptance of funded science-popularization projects (结题验收)."),
        criteria=project_acceptance_criteria(),
        activate=True,
    )


@transaction.atomic
def submit_for_acceptance(project: Project, *, actor) -> Project:
    """The unit finished: the project awaits its acceptance."""
    project = _locked(project)
    _may(actor, project, "report")
    if project.status != S.CONTRACTED:
        raise StateConflict(_("Only a project under way goes to acceptance."))
    with counters.tracked(project):
        project.status = S.ACCEPTANCE
        project.save(update_fields=["status"])
    audit.record("selections.project.submitted", obj=project, actor=actor)
    return project


@transaction.atomic
def record_check(
    project: Project, *, actor, kind, values, comment="", result, fix_by=None, rubric=None
) -> ProjectCheck:
    """A mid-term check (under way) or the acceptance (awaiting acceptance) scored on the
    acceptance rubric. Acceptance passed → accepted, failed → failed; "to be rectified"
    keeps it awaiting acceptance with a deadline (`fix_by`, a milestone: the overdue flag
    follows it). A pass needs a passing grade."""
    project = _locked(project)
    _may(actor, project, "check")
    if kind not in c.CheckKind.values:
        raise DomainError({"kind": [_("Choose a kind from the list.")]})
    if result not in c.CheckResult.values:
        raise DomainError({"result": [_("Choose a result from the list.")]})
    if kind == c.CheckKind.MIDTERM and project.status != S.CONTRACTED:
        raise StateConflict(_("A mid-term check is made while the project is under way."))
    if kind == c.CheckKind.ACCEPTANCE and project.status != S.ACCEPTANCE:
        raise StateConflict(_("Only a project awaiting acceptance is accepted."))
    today = clock.today()
    if result == c.CheckResult.FIX and (fix_by is None or fix_by <= today):
        raise DomainError({"fix_by": [_("Give the rectification deadline, after today.")]})
    rubric = rubric or acceptance_rubric(project.region)
    scored = engine.evaluate(rubric, values or {})
    if result == c.CheckResult.PASSED and scored.grade == Grade.FAIL:
        raise DomainError(
            {
                "result": [
                    _("A total of %(t)s is a failing grade: it cannot pass.") % {"t": scored.total}
                ]
            }
        )
    check = ProjectCheck.objects.create(
        project=project,
        kind=kind,
        result=result,
        rubric=rubric,
        values=values or {},
        lines=scored.points(),
        total=scored.total,
        grade=scored.grade,
        comment=comment or "",
        checked_on=today,
        checked_by=_user(actor),
        submitted_at=clock.now(),
    )
    audit.created(check, actor=actor, detail={"project": project.pk})
    before = audit.snapshot(project)
    if result == c.CheckResult.FIX:
        Milestone.objects.create(
            project=project,
            title=_("Rectification after the %(kind)s") % {"kind": check.get_kind_display()},
            due_on=fix_by,
            note=(comment or "")[:300],
        )
    with counters.tracked(project):
        if kind == c.CheckKind.ACCEPTANCE and result == c.CheckResult.PASSED:
            project.status = S.ACCEPTED
            project.accepted_on = today
        elif kind == c.CheckKind.ACCEPTANCE and result == c.CheckResult.FAILED:
            project.status = S.FAILED
        project.next_due = _next_due(project)
        project.save(update_fields=["status", "accepted_on", "next_due"])
    if project.status != before["status"]:
        audit.record(
            f"selections.project.{project.status}",
            obj=project,
            actor=actor,
            changes=audit.diff(before, audit.snapshot(project)),
        )
    return check


@transaction.atomic
def terminate_project(project: Project, *, actor, reason) -> Project:
    """Stop an open project (the unit gave up, or a serious breach); nothing more is paid."""
    project = _locked(project)
    _may(actor, project, "change")
    _require_open(project)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Give the reason.")]})
    with counters.tracked(project):
        project.status = S.TERMINATED
        project.next_due = None
        project.save(update_fields=["status", "next_due"])
    audit.record(
        "selections.project.terminated", obj=project, actor=actor, detail={"reason": reason}
    )
    return project


# --- disbursements ------------------------------------------------------------------------


PAYABLE = {
    c.FundingMode.PREFUNDED: (S.CONTRACTED, S.ACCEPTANCE, S.ACCEPTED),
    c.FundingMode.AFTER: (S.ACCEPTED,),
}


@transaction.atomic
def record_disbursement(
    project: Project, *, actor, amount, paid_on=None, voucher="", note="", client_key=None
) -> Disbursement:
    """A payment to the unit, under a lock on the project: the sum never goes beyond the
    approved amount (the check constraint is the last guard). Whoever entered the project
    does not record its payments (four-eyes). A project paid after the work (事后补助) is
    paid only once accepted. The same `client_key` records one payment."""
    if client_key is not None:
        found = Disbursement.objects.filter(client_key=client_key).first()
        if found is not None:
            return found
    project = _locked(project)
    _may(actor, project, "disburse")
    if project.status not in PAYABLE[project.funding_mode]:
        if project.funding_mode == c.FundingMode.AFTER:
            raise StateConflict(
                _("This project is paid after the work (事后补助): pay it once it is accepted.")
            )
        raise StateConflict(
            _("Pay a project once its contract is signed, and not after it closed.")
        )
    amount = _decimal(amount, "amount")
    remaining = project.approved_amount - project.disbursed
    if amount > remaining:
        raise DomainError(
            {
                "amount": [
                    _("%(amount)s is more than the %(remaining)s left of the approved amount.")
                    % {"amount": money(amount), "remaining": money(remaining)}
                ]
            }
        )
    paid_on = paid_on or clock.today()
    if paid_on > clock.today():
        raise DomainError({"paid_on": [_("The date cannot be in the future.")]})
    try:
        with transaction.atomic():
            payment = Disbursement.objects.create(
                project=project,
                amount=amount,
                paid_on=paid_on,
                voucher=(voucher or "").strip(),
                note=note or "",
                recorded_by=_user(actor),
                recorded_at=clock.now(),
                client_key=client_key,
            )
    except IntegrityError:
        if client_key is not None:
            return Disbursement.objects.get(client_key=client_key)
        raise
    with counters.tracked(project):
        project.disbursed = project.disbursed + amount
        project.save(update_fields=["disbursed"])
    audit.created(
        payment, actor=actor, detail={"project": project.pk, "disbursed": str(project.disbursed)}
    )
    return payment


# --- outputs ------------------------------------------------------------------------------


@transaction.atomic
def add_output(
    project: Project, *, actor, activity=None, resource=None, note="", audience=0
) -> ProjectOutput:
    """An output of the project: an activity it held or a work it produced (the unit's
    own, in the registries), or a described output, with the audience it reached
    (added to the project's)."""
    project = _locked(project)
    _may(actor, project, "report")
    if project.status in (S.FAILED, S.TERMINATED):
        raise StateConflict(_("This project is closed."))
    for obj, field in ((activity, "activity"), (resource, "resource")):
        if obj is not None and obj.organization_id != project.organization_id:
            raise DomainError({field: [_("Link only what the project's unit holds.")]})
    note = (note or "").strip()
    if activity is None and resource is None and not note:
        raise DomainError({"note": [_("Link an activity or a work, or describe the output.")]})
    try:
        audience = int(audience or 0)
    except (TypeError, ValueError):
        audience = -1
    if not 0 <= audience <= 100_000_000:
        raise DomainError({"audience": [_("Give the audience as a whole number.")]})
    output = ProjectOutput.objects.create(
        project=project,
        activity=activity,
        resource=resource,
        note=note,
        audience=audience,
        added_at=clock.now(),
    )
    if audience:
        project.audience = project.audience + audience
        project.save(update_fields=["audience"])
    audit.created(output, actor=actor, detail={"project": project.pk})
    return output


def last_number(year: int) -> str | None:
    """The highest project number of the year (for the create form's hint)."""
    return Project.objects.filter(year=year).aggregate(n=Max("number"))["n"]
