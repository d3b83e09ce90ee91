"""A survey round's own life: created by the province's officers (one per region and
data year), its dates changed, opened for filing and closed. Each step is audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kepu.core import audit
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.stats import choices as c
from kepu.stats.models import LockException, SurveyRound
from kepu.stats.services import figures_cache

R = c.RoundStatus
DATES = ("opens_on", "units_due", "county_due", "city_due", "province_due")
FIELDS = ("data_set", "year", "title", *DATES)


def check_dates(fields: dict) -> None:
    """The deadlines follow each other: opening, units, counties, cities, province."""
    errors = {}
    for earlier, later in zip(DATES, DATES[1:], strict=False):
        first, then = fields.get(earlier), fields.get(later)
        if first and then and then < first:
            errors[later] = _("This date must not be before the previous one.")
    if errors:
        raise DomainError(errors)


def _unique(region, year, exclude=None) -> None:
    taken = SurveyRound.objects.filter(region=region, year=year)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise DomainError({"year": _("This region already has a survey for this data year.")})


@transaction.atomic
def create_round(*, actor, region, **fields) -> SurveyRound:
    require_region(actor, SurveyRound, "create", region)
    check_dates(fields)
    _unique(region, fields["year"])
    try:
        with transaction.atomic():
            survey = SurveyRound.objects.create(
                region=region, created_by=actor if actor else None, **fields
            )
    except IntegrityError:
        raise DomainError(
            {"year": _("This region already has a survey for this data year.")}
        ) from None
    audit.created(survey, actor=actor)
    return survey


@transaction.atomic
def change_round(survey: SurveyRound, *, actor, **fields) -> SurveyRound:
    survey = SurveyRound.objects.select_for_update().get(pk=survey.pk)
    if survey.status == R.PUBLISHED:
        raise StateConflict(_("The results are published: the survey no longer changes."))
    check_dates({**{k: getattr(survey, k) for k in DATES}, **fields})
    if "year" in fields:
        _unique(survey.region, fields["year"], exclude=survey)
    if survey.status != R.DRAFT and (
        fields.get("data_set", survey.data_set) != survey.data_set
        or fields.get("year", survey.year) != survey.year
    ):
        raise StateConflict(_("The data set and year are fixed once the survey has been opened."))
    before = audit.snapshot(survey)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    changes = audit.diff(before, audit.snapshot(survey))
    if changes:
        figures_cache.changed(survey.pk)
        audit.record("stats.surveyround.changed", obj=survey, actor=actor, changes=changes)
    return survey


def can_open(survey: SurveyRound) -> bool:
    return survey.status in (R.DRAFT, R.CLOSED)


def can_close(survey: SurveyRound) -> bool:
    return survey.status == R.OPEN


def _step(survey, *, actor, allowed, to, action, refusal):
    survey = SurveyRound.objects.select_for_update().get(pk=survey.pk)
    if survey.status not in allowed:
        raise StateConflict(refusal)
    before = survey.status
    survey.status = to
    survey.save(update_fields=["status"])
    figures_cache.changed(survey.pk)
    audit.record(action, obj=survey, actor=actor, changes={"status": [before, to]})
    return survey


@transaction.atomic
def open_round(survey: SurveyRound, *, actor) -> SurveyRound:
    """Open for filing (again, after a close)."""
    return _step(
        survey, actor=actor, allowed=(R.DRAFT, R.CLOSED), to=R.OPEN,
        action="stats.surveyround.opened",
        refusal=_("Only a survey being prepared or closed can be opened."),
    )  # fmt: skip


@transaction.atomic
def close_round(survey: SurveyRound, *, actor) -> SurveyRound:
    """No more filing, accepting or approving until it is opened again."""
    return _step(
        survey, actor=actor, allowed=(R.OPEN,), to=R.CLOSED,
        action="stats.surveyround.closed", refusal=_("Only an open survey can be closed."),
    )  # fmt: skip


# -- exceptions to the lock --------------------------------------------------------------


@transaction.atomic
def grant_exception(
    survey: SurveyRound, *, actor, until, reason: str, ret=None, region=None
) -> LockException:
    """The level above lets a unit's return (the county's officers for their units) or a
    whole region (its parent's officers) file after the deadline, until a date."""
    from kepu.core import clock
    from kepu.core.scope import allowed_regions, scope_roots

    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the exception.")
    if until is None or until < clock.today():
        errors["until"] = _("Choose a date from today on.")
    if (ret is None) == (region is None):
        errors["__all__"] = _("Choose either a unit's return or a region.")
    if errors:
        raise DomainError(errors)
    if ret is not None and ret.round_id != survey.pk:
        raise DomainError(_("This return belongs to another survey."))
    target = ret.region if ret is not None else region
    if actor is not None:
        allowed = allowed_regions(actor, LockException, "grant").filter(pk=target.pk).exists()
        own = {r.pk for r in scope_roots(actor)}
        # A region's exception comes from the level above it, never from its own officers.
        if not allowed or (region is not None and region.pk in own):
            raise DomainError(_("Only the level above may grant this exception."))
    if not target.is_within(survey.region):
        raise DomainError(_("This region is outside the survey's region."))
    row = LockException.objects.create(
        round=survey, region=target, ret=ret, until=until, reason=reason,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    figures_cache.changed(survey.pk)
    audit.created(row, actor=actor)
    return row
