"""Every state change of a return: assigning units, saving values (from the form, an
Excel upload or the API: one path, one validation engine), submitting, accepting and
returning. Each runs in a transaction and writes its audit entry in it.

The lock: after the round's `units_due` a unit's return takes no values and no
submission, unless the level above granted an exception (`LockException`) to the return
or to a region above it that is still open on the day."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.stats import choices as c
from kepu.stats.models import LockException, RegionApproval, Return, ReturnEvent, SurveyRound, Value
from kepu.stats.services import aggregation, figures_cache
from kepu.stats.services.validation import Checker, Finding, summarize

S = c.ReturnStatus


def responsible_region(organization) -> Region:
    """The region that answers for a unit's return: its county (a township's unit belongs
    to its county), or the city or province for their own units."""
    region = organization.region
    if region.level <= 3:
        return region
    codes = region.ancestor_codes
    return Region.objects.get(code=codes[2])


@transaction.atomic
def assign(
    survey: SurveyRound,
    organization,
    *,
    actor,
    dept_category: str = c.DeptCategory.OTHER,
    is_venue: bool = False,
    filled_by_region: bool = False,
) -> tuple[Return, bool]:
    """The unit reports in the round (its return, created once); (return, created)."""
    ret, created = Return.objects.get_or_create(
        round=survey,
        organization=organization,
        defaults={
            "region": responsible_region(organization),
            "dept_category": dept_category,
            "is_venue": is_venue,
            "filled_by_region": filled_by_region,
        },
    )
    if created:
        figures_cache.changed(survey.pk)
        audit.created(ret, actor=actor)
    return ret, created


# -- the lock --------------------------------------------------------------------------


def locked(ret: Return, today=None) -> bool:
    """True when the deadline passed and no exception is open for the return or a region
    above it."""
    today = today or clock.today()
    survey = ret.round
    if today <= survey.units_due:
        return False
    codes = ret.region.ancestor_codes
    covering = Q(ret=ret) | Q(ret__isnull=True, region__code__in=codes)
    return not LockException.objects.filter(covering, round=survey, until__gte=today).exists()


def _require_editable(ret: Return) -> None:
    if ret.round.status != c.RoundStatus.OPEN:
        raise StateConflict(_("The survey is not open for filing."))
    if not ret.editable:
        raise StateConflict(
            _("This return is %(status)s and cannot be changed.")
            % {"status": ret.get_status_display()}
        )
    if locked(ret):
        raise StateConflict(
            _(
                "The deadline (%(date)s) has passed: the return is locked. Ask the level above "
                "for an exception."
            )
            % {"date": ret.round.units_due.isoformat()}
        )


# -- values ----------------------------------------------------------------------------


def previous_values(ret: Return) -> dict[str, Decimal | None]:
    """Last year's accepted values of the same unit (for the change rules), by code."""
    rows = Value.objects.filter(
        ret__organization_id=ret.organization_id,
        ret__round__year=ret.round.year - 1,
        ret__status=S.ACCEPTED,
    ).values_list("indicator__code", "value")
    return dict(rows)


def current_values(ret: Return) -> dict[str, Decimal | None]:
    return dict(ret.values.values_list("indicator__code", "value"))


@transaction.atomic
def save_values(
    ret: Return,
    raw: dict[str, object],
    *,
    actor,
    source: str = c.ValueSource.ENTERED,
    reasons: dict[str, str] | None = None,
    explanations: dict[str, str] | None = None,
    checker: Checker | None = None,
    previous: dict | None = None,
) -> list[Finding]:
    """Store the given values (texts or numbers by indicator code; the others keep what
    they had) and the explanations of warnings; answer the return's findings.

    A value that cannot be read (text, negative, decimals in a count) refuses the whole
    save, naming each field (DomainError with a message per code): nothing is written
    half-way. A value other than its registry count needs a reason (audited). Rule
    violations do not refuse a save: they are kept on the return, and errors block the
    submission."""
    ret = Return.objects.select_for_update().select_related("round", "region").get(pk=ret.pk)
    _require_editable(ret)
    checker = checker or Checker(ret.round.data_set)
    reasons = {k: (v or "").strip() for k, v in (reasons or {}).items()}
    values, problems = checker.parse(raw)
    stored = {v.indicator.code: v for v in ret.values.select_related("indicator")}
    for code, value in values.items():
        row = stored.get(code)
        overridden = row is not None and row.registry is not None and value != row.registry
        if overridden and not (reasons.get(code) or row.reason):
            problems.append(
                Finding(
                    f"reason:{code}",
                    c.Importance.ERROR,
                    _("%(label)s differs from the registry count (%(registry)s): give a reason.")
                    % {
                        "label": f"{code} {checker.by_code[code].name}",
                        "registry": f"{row.registry.normalize():f}",
                    },
                    (code,),
                )
            )
    if problems:
        raise DomainError({f.codes[0] if f.codes else "__all__": f.message for f in problems})
    changed = {}
    for code, value in values.items():
        row = stored.get(code)
        if row is None:
            row = Value(ret=ret, indicator=checker.by_code[code], registry=None)
            stored[code] = row
        elif row.value == value and not reasons.get(code):
            continue
        before = row.value
        row.value = value
        if row.registry is not None and value != row.registry:
            row.source = c.ValueSource.OVERRIDDEN
            row.reason = reasons.get(code) or row.reason
        elif row.registry is not None:
            row.source, row.reason = c.ValueSource.REGISTRY, ""
        else:
            row.source = source
        row.save()
        changed[code] = [_plain(before), _plain(value)]
        if row.source == c.ValueSource.OVERRIDDEN:
            changed[code].append(row.reason)
    if explanations is not None:
        ret.explanations = {
            **ret.explanations,
            **{k: v.strip() for k, v in explanations.items() if v is not None},
        }
    findings = _refresh(ret, checker, previous)
    before_status = ret.status
    if ret.status == S.NOT_STARTED:
        ret.status = S.DRAFT
    ret.updated_at = clock.now()
    ret.save()
    ReturnEvent.objects.create(
        ret=ret,
        action=c.EventAction.IMPORT if source == c.ValueSource.IMPORTED else c.EventAction.SAVE,
        from_status=before_status,
        to_status=ret.status,
        actor=_user(actor),
    )
    figures_cache.changed(ret.round_id)
    audit.record(
        "stats.return.saved",
        obj=ret,
        actor=actor,
        changes=changed,
        detail={"source": source, "errors": ret.errors, "warnings": ret.warnings},
    )
    return findings


def _refresh(ret: Return, checker: Checker, previous=None) -> list[Finding]:
    values = current_values(ret)
    findings = checker.check(values, previous if previous is not None else previous_values(ret))
    ret.findings = [f.as_json() for f in findings]
    counts = summarize(findings, ret.explanations)
    ret.errors, ret.warnings, ret.unexplained = (
        counts["errors"],
        counts["warnings"],
        counts["unexplained"],
    )
    return findings


def _plain(value):
    return (
        None if value is None else str(value.normalize() if isinstance(value, Decimal) else value)
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# -- the workflow ----------------------------------------------------------------------


def _event(ret, action, before, actor, reason=""):
    ReturnEvent.objects.create(
        ret=ret,
        action=action,
        from_status=before,
        to_status=ret.status,
        actor=_user(actor),
        reason=reason,
    )


@transaction.atomic
def submit(ret: Return, *, actor) -> Return:
    """Send the return to the county: no errors, every warning explained."""
    ret = Return.objects.select_for_update().select_related("round", "region").get(pk=ret.pk)
    _require_editable(ret)
    if ret.status == S.NOT_STARTED:
        raise StateConflict(_("Fill in the return before submitting it."))
    _refresh(ret, Checker(ret.round.data_set))
    if ret.errors:
        raise DomainError(
            _("The return has %(n)s errors; correct them before submitting.") % {"n": ret.errors}
        )
    if ret.unexplained:
        raise DomainError(
            _("Explain each warning (%(n)s without an explanation) before submitting.")
            % {"n": ret.unexplained}
        )
    before = ret.status
    now = clock.now()
    ret.status, ret.submitted_at, ret.submitted_by = S.SUBMITTED, now, _user(actor)
    ret.late = clock.today() > ret.round.units_due
    ret.updated_at = now
    ret.save()
    _event(ret, c.EventAction.SUBMIT, before, actor)
    figures_cache.changed(ret.round_id)
    audit.record(
        "stats.return.submitted", obj=ret, actor=actor, changes={"status": [before, ret.status]}
    )
    return ret


def _require_county_open(ret: Return) -> None:
    approved = RegionApproval.objects.filter(
        round=ret.round_id, region=ret.region_id, status=c.ApprovalStatus.APPROVED
    ).exists()
    if approved:
        raise StateConflict(
            _(
                "%(region)s has approved its returns; the level above must return the "
                "approval first."
            )
            % {"region": ret.region.name}
        )


@transaction.atomic
def accept(ret: Return, *, actor) -> Return:
    """The county accepts a submitted return: its values count in the aggregates."""
    ret = Return.objects.select_for_update().select_related("round", "region").get(pk=ret.pk)
    if ret.status != S.SUBMITTED:
        raise StateConflict(_("Only a submitted return can be accepted."))
    _require_county_open(ret)
    before = ret.status
    ret.status, ret.accepted_at, ret.updated_at = S.ACCEPTED, clock.now(), clock.now()
    ret.save()
    aggregation.apply(ret, +1)
    _event(ret, c.EventAction.ACCEPT, before, actor)
    figures_cache.changed(ret.round_id)
    audit.record(
        "stats.return.accepted", obj=ret, actor=actor, changes={"status": [before, ret.status]}
    )
    return ret


@transaction.atomic
def send_back(ret: Return, *, actor, reason: str) -> Return:
    """The county returns a submitted or accepted return with a reason: it reopens for
    the unit, and an accepted one leaves the aggregates."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason for returning it.")})
    ret = Return.objects.select_for_update().select_related("round", "region").get(pk=ret.pk)
    if ret.status not in (S.SUBMITTED, S.ACCEPTED):
        raise StateConflict(_("Only a submitted or accepted return can be returned."))
    _require_county_open(ret)
    before = ret.status
    if before == S.ACCEPTED:
        aggregation.apply(ret, -1)
    ret.status, ret.accepted_at, ret.updated_at = S.RETURNED, None, clock.now()
    ret.save()
    _event(ret, c.EventAction.RETURN, before, actor, reason)
    figures_cache.changed(ret.round_id)
    audit.record(
        "stats.return.returned",
        obj=ret,
        actor=actor,
        changes={"status": [before, ret.status]},
        detail={"reason": reason},
    )
    return ret
