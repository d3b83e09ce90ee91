"""Subsidies tied to the score (seed 003 (十三)): creating a round and its formula, the
preview (every base's amount and the reason, for all bases at once), submitting (the
lines are saved), approval by another officer (four-eyes; the lines are frozen), return,
publication, and a manual adjustment that must still add up to the budget."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kepu.bases import choices as c
from kepu.bases import scores
from kepu.bases.allocation import Candidate, Formula, Share, allocate, check_formula
from kepu.bases.models import Base, SubsidyLine, SubsidyRound
from kepu.bases.models.subsidy import SubsidyStatus
from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.rubrics.choices import Grade

YEARS = (2000, 2100)


def formula_of(rnd: SubsidyRound) -> Formula:
    return Formula(
        budget=rnd.budget,
        base_amount=rnd.base_amount,
        score_weight=rnd.score_weight,
        visitor_weight=rnd.visitor_weight,
        cap=rnd.cap,
    )


def _check_round(rnd: SubsidyRound) -> None:
    """The round's own rules, before any base is known (the form says the same)."""
    errors = {}
    if not YEARS[0] <= (rnd.year or 0) <= YEARS[1]:
        errors["year"] = [_("Give a year between 2000 and 2100.")]
    if not rnd.levels or any(v not in c.BaseLevel.values for v in rnd.levels):
        errors["levels"] = [_("Choose at least one level.")]
    if any(v not in c.BaseCategory.values for v in rnd.categories or []):
        errors["categories"] = [_("Choose categories from the list.")]
    if any(v not in Grade.values for v in rnd.ineligible_grades or []):
        errors["ineligible_grades"] = [_("Choose grades from the list.")]
    if not (rnd.name or "").strip():
        errors["name"] = [_("Give the round a name.")]
    try:
        check_formula(formula_of(rnd))
    except DomainError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise DomainError(errors)


def _locked(rnd: SubsidyRound) -> SubsidyRound:
    return (
        SubsidyRound.objects.select_for_update(of=("self",)).select_related("region").get(pk=rnd.pk)
    )


@transaction.atomic
def create_subsidy_round(*, actor, region, **fields) -> SubsidyRound:
    """A draft round of the region's officers: name, year evaluated, budget and formula."""
    scope.require_region(actor, SubsidyRound, "create", region)
    unknown = set(fields) - set(SubsidyRound.FORMULA_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    rnd = SubsidyRound(region=region, created_by=_user(actor), **fields)
    _check_round(rnd)
    rnd.save()
    audit.created(rnd, actor=actor)
    return rnd


@transaction.atomic
def change_subsidy_round(rnd: SubsidyRound, *, actor, **fields) -> SubsidyRound:
    """Change the formula of a draft round."""
    rnd = _locked(rnd)
    if not rnd.can_change():
        raise StateConflict(_("Only a draft round can be changed."))
    unknown = set(fields) - set(SubsidyRound.FORMULA_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = audit.snapshot(rnd)
    for name, value in fields.items():
        setattr(rnd, name, value)
    _check_round(rnd)
    rnd.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "bases.subsidyround.changed",
        obj=rnd,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rnd)),
    )
    return rnd


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- the preview -------------------------------------------------------------------------


@dataclass
class PreviewLine:
    base_id: int
    name: str
    region: str
    level: str
    score: object
    grade: str
    visitors: int
    amount: int
    eligible: bool
    capped: bool
    reason: str

    def level_label(self) -> str:
        return c.BaseLevel(self.level).label

    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade in Grade.values else ""


@dataclass
class Preview:
    lines: list[PreviewLine] = field(default_factory=list)
    error: str = ""  # why the budget cannot be allocated ("" when it can)
    total: int = 0
    eligible: int = 0

    @property
    def bases(self) -> int:
        return len(self.lines)


def candidate_bases(rnd: SubsidyRound):
    """The listed bases of the round's region at its levels (and categories)."""
    rows = Base.objects.listed().filter(
        scope.region_q("region_id", [rnd.region]), level__in=rnd.levels
    )
    if rnd.categories:
        rows = rows.filter(category__in=rnd.categories)
    return rows


def _candidates(rnd: SubsidyRound) -> tuple[list, list[Candidate]]:
    bases = list(
        candidate_bases(rnd).order_by("pk").values_list("pk", "name", "region__name", "level")
    )
    found = scores.annual_scores(rnd.year, region=rnd.region, base_ids=[b[0] for b in bases])
    ineligible = set(rnd.ineligible_grades or [])
    candidates = []
    for pk, _name, _region, _level in bases:
        score = found.get(pk)
        if score is None:
            candidates.append(
                Candidate(pk, None, "", 0, _("No evaluation for %(year)s.") % {"year": rnd.year})
            )
            continue
        total, grade, visitors = score
        refusal = ""
        if grade in ineligible:
            label = Grade(grade).label if grade in Grade.values else grade
            refusal = _("Ineligible: grade %(grade)s.") % {"grade": label}
        candidates.append(Candidate(pk, total, grade, int(visitors or 0), refusal))
    return bases, candidates


def preview_subsidy(rnd: SubsidyRound) -> Preview:
    """Every candidate base's amount and reason, computed for all at once (nothing is
    written). `error` says why the budget cannot be allocated, if it cannot."""
    bases, candidates = _candidates(rnd)
    preview = Preview()
    try:
        shares = allocate(formula_of(rnd), candidates)
    except DomainError as exc:
        preview.error = " ".join(exc.messages)
        shares = [Share(x.base_id, 0, not x.refusal, False, x.refusal) for x in candidates]
    for (pk, name, region, level), x, share in zip(bases, candidates, shares, strict=True):
        preview.lines.append(
            PreviewLine(
                pk, name, region, level, x.score, x.grade, x.visitors,
                share.amount, share.eligible, share.capped, share.reason or "",
            )
        )  # fmt: skip
    preview.total = sum(line.amount for line in preview.lines)
    preview.eligible = sum(1 for line in preview.lines if line.eligible)
    return preview


# --- the workflow ------------------------------------------------------------------------


@transaction.atomic
def submit_subsidy_round(rnd: SubsidyRound, *, actor) -> SubsidyRound:
    """Compute the allocation and save every base's line; refused (nothing written) when
    the budget cannot be allocated exactly."""
    rnd = _locked(rnd)
    scope.check(actor, rnd, "submit")
    if not rnd.can_submit():
        raise StateConflict(_("Only a draft round can be submitted."))
    _check_round(rnd)
    bases, candidates = _candidates(rnd)
    shares = allocate(formula_of(rnd), candidates)
    lines = [
        SubsidyLine(
            round=rnd,
            base_id=x.base_id,
            amount=share.amount,
            eligible=share.eligible,
            capped=share.capped,
            score=x.score,
            grade=x.grade,
            visitors=x.visitors,
            reason=share.reason[:300],
        )
        for x, share in zip(candidates, shares, strict=True)
    ]
    if sum(line.amount for line in lines) != rnd.budget:  # the formula's promise, kept
        raise DomainError(_("The allocation does not add up to the budget."))
    SubsidyLine.objects.filter(round=rnd).delete()
    SubsidyLine.objects.bulk_create(lines, batch_size=1000)
    rnd.status, rnd.submitted_by, rnd.submitted_at = (
        SubsidyStatus.SUBMITTED,
        _user(actor),
        clock.now(),
    )
    rnd.return_reason = ""
    rnd.save(
        update_fields=["status", "submitted_by", "submitted_at", "return_reason", "updated_at"]
    )
    audit.record(
        "bases.subsidyround.submitted",
        obj=rnd,
        actor=actor,
        changes={"status": [SubsidyStatus.DRAFT, SubsidyStatus.SUBMITTED]},
        detail={
            "lines": len(lines),
            "eligible": sum(1 for line in lines if line.eligible),
            "total": rnd.budget,
        },
    )
    return rnd


def lines_total(rnd: SubsidyRound) -> int:
    return SubsidyLine.objects.filter(round=rnd).aggregate(t=Sum("amount"))["t"] or 0


def _require_budget(rnd: SubsidyRound) -> None:
    total = lines_total(rnd)
    if total != rnd.budget:
        raise DomainError(
            _(
                "The amounts add up to %(total)s yuan, not the budget of %(budget)s yuan: "
                "the allocation must spend the budget exactly."
            )
            % {"total": f"{total:,}", "budget": f"{rnd.budget:,}"}
        )


@transaction.atomic
def approve_subsidy_round(rnd: SubsidyRound, *, actor) -> SubsidyRound:
    """Another officer than the submitter approves (four-eyes): the lines are frozen."""
    rnd = _locked(rnd)
    scope.check(actor, rnd, "approve")
    if not rnd.can_approve():
        raise StateConflict(_("Only a submitted allocation can be approved."))
    _require_budget(rnd)
    rnd.status, rnd.approved_by, rnd.approved_at = SubsidyStatus.APPROVED, _user(actor), clock.now()
    rnd.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        "bases.subsidyround.approved",
        obj=rnd,
        actor=actor,
        changes={"status": [SubsidyStatus.SUBMITTED, SubsidyStatus.APPROVED]},
    )
    return rnd


@transaction.atomic
def return_subsidy_round(rnd: SubsidyRound, *, actor, reason: str) -> SubsidyRound:
    """The approver sends the allocation back to draft (its lines are dropped)."""
    rnd = _locked(rnd)
    scope.check(actor, rnd, "approve")
    if not rnd.can_approve():
        raise StateConflict(_("Only a submitted allocation can be returned."))
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    SubsidyLine.objects.filter(round=rnd).delete()
    rnd.status, rnd.return_reason = SubsidyStatus.DRAFT, reason.strip()[:300]
    rnd.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(
        "bases.subsidyround.returned",
        obj=rnd,
        actor=actor,
        changes={"status": [SubsidyStatus.SUBMITTED, SubsidyStatus.DRAFT]},
        detail={"reason": rnd.return_reason},
    )
    return rnd


@transaction.atomic
def publish_subsidy_round(rnd: SubsidyRound, *, actor) -> SubsidyRound:
    rnd = _locked(rnd)
    scope.check(actor, rnd, "publish")
    if not rnd.can_publish():
        raise StateConflict(_("Only an approved allocation can be published."))
    rnd.status, rnd.published_at = SubsidyStatus.PUBLISHED, clock.now()
    rnd.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        "bases.subsidyround.published",
        obj=rnd,
        actor=actor,
        changes={"status": [SubsidyStatus.APPROVED, SubsidyStatus.PUBLISHED]},
    )
    return rnd


@transaction.atomic
def adjust_subsidy_lines(rnd: SubsidyRound, *, actor, amounts: dict, reason: str) -> SubsidyRound:
    """Change some amounts of a submitted allocation by hand ({base id: yuan}). The new
    amounts must still add up to the budget exactly; otherwise nothing changes."""
    rnd = _locked(rnd)
    scope.check(actor, rnd, "submit")
    if rnd.status != SubsidyStatus.SUBMITTED:
        raise StateConflict(_("Only a submitted allocation can be adjusted."))
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    lines = {
        line.base_id: line for line in SubsidyLine.objects.filter(round=rnd, base_id__in=amounts)
    }
    if set(lines) != set(amounts):
        raise DomainError(_("Some of these bases are not in the allocation."))
    if any(not isinstance(v, int) or v < 0 for v in amounts.values()):
        raise DomainError(_("An amount is a whole number of yuan, 0 or more."))
    if rnd.cap is not None and any(v > rnd.cap for v in amounts.values()):
        raise DomainError(
            _("An amount cannot exceed the cap of %(cap)s yuan.") % {"cap": f"{rnd.cap:,}"}
        )
    change = sum(amounts[pk] - line.amount for pk, line in lines.items())
    total = lines_total(rnd) + change
    if total != rnd.budget:
        raise DomainError(
            _(
                "The amounts would add up to %(total)s yuan, not the budget of %(budget)s "
                "yuan: nothing was changed."
            )
            % {"total": f"{total:,}", "budget": f"{rnd.budget:,}"}
        )
    note = _(" Adjusted by hand: %(reason)s") % {"reason": reason.strip()}
    changes = {}
    for pk, line in lines.items():
        changes[str(pk)] = [line.amount, amounts[pk]]
        line.amount = amounts[pk]
        line.eligible = line.eligible or amounts[pk] > 0
        line.reason = (line.reason + note)[:300]
    SubsidyLine.objects.bulk_update(lines.values(), ["amount", "eligible", "reason"])
    _require_budget(rnd)
    audit.record(
        "bases.subsidyround.adjusted",
        obj=rnd,
        actor=actor,
        changes=changes,
        detail={"reason": reason.strip()[:300]},
    )
    return rnd
