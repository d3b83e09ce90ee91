"""Every change to a rubric: create (with its criteria, in one step), change a draft's
criteria, put in use (validated), copy (a rubric in use is never edited), retire."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.rubrics import choices as c
from kepu.rubrics import engine
from kepu.rubrics.models import Criterion, Rubric

CRITERION_FIELDS = (
    "code",
    "group",
    "name",
    "weight",
    "method",
    "source",
    "unit",
    "bands",
    "evidence",
)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(rubric: Rubric) -> Rubric:
    return Rubric.objects.select_for_update(of=("self",)).select_related("region").get(pk=rubric.pk)


def _require_draft(rubric: Rubric) -> None:
    if not rubric.is_editable():
        raise StateConflict(
            _("This rubric is “%(status)s”: copy it to make changes.")
            % {"status": rubric.get_status_display()}
        )


def _check_criterion(criterion: Criterion) -> None:
    criterion.full_clean(exclude=["rubric"], validate_unique=False)
    errors = engine.criterion_errors(criterion)
    if errors:
        raise DomainError({"bands" if criterion.takes_value else "method": errors})


@transaction.atomic
def create_rubric(
    *, actor, name, purpose, region, description="", grade_bands=None, criteria=(), activate=False
) -> Rubric:
    """A new rubric with its criteria (dicts of CRITERION_FIELDS), a draft unless
    `activate` (then validated first: nothing is written if it is not usable)."""
    if actor is not None:
        scope.require_region(actor, Rubric, "create", region)
    rubric = Rubric(
        name=name,
        purpose=purpose,
        region=region,
        description=description,
        created_by=_user(actor),
    )
    if grade_bands is not None:
        rubric.grade_bands = grade_bands
    errors = engine.grade_band_errors(rubric.grade_bands)
    if errors:
        raise DomainError({"grade_bands": errors})
    rubric.full_clean()
    rubric.save()
    codes = set()
    for position, data in enumerate(criteria):
        criterion = Criterion(rubric=rubric, position=position, **data)
        if criterion.code in codes:
            raise DomainError(
                {"code": [_("Two criteria have the code %(code)s.") % {"code": criterion.code}]}
            )
        codes.add(criterion.code)
        _check_criterion(criterion)
        criterion.save()
    audit.created(rubric, actor=actor, detail={"criteria": len(codes)})
    if activate:
        rubric = activate_rubric(rubric, actor=actor)  # the row as put in use
    return rubric


@transaction.atomic
def save_criterion(
    rubric: Rubric, *, actor, criterion: Criterion | None = None, **data
) -> Criterion:
    """Add a criterion to a draft rubric, or change one of its criteria."""
    rubric = _locked(rubric)
    if actor is not None:
        scope.check(actor, rubric, "change")
    _require_draft(rubric)
    if criterion is None:
        criterion = Criterion(rubric=rubric, position=rubric.criteria.count())
    before = audit.snapshot(criterion) if criterion.pk else {}
    for name, value in data.items():
        setattr(criterion, name, value)
    if rubric.criteria.filter(code=criterion.code).exclude(pk=criterion.pk).exists():
        raise DomainError({"code": [_("Another criterion has this code.")]})
    _check_criterion(criterion)
    criterion.save()
    audit.record(
        "rubrics.criterion.saved",
        obj=rubric,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(criterion)),
        detail={"criterion": criterion.code},
    )
    return criterion


@transaction.atomic
def delete_criterion(criterion: Criterion, *, actor) -> None:
    rubric = _locked(criterion.rubric)
    if actor is not None:
        scope.check(actor, rubric, "change")
    _require_draft(rubric)
    audit.record(
        "rubrics.criterion.deleted", obj=rubric, actor=actor, detail={"criterion": criterion.code}
    )
    criterion.delete()


@transaction.atomic
def activate_rubric(rubric: Rubric, *, actor) -> Rubric:
    """Put a draft in use: weights add up to 100, bands and grades well formed."""
    rubric = _locked(rubric)
    if actor is not None:
        scope.check(actor, rubric, "activate")
    _require_draft(rubric)
    engine.validate(rubric)
    rubric.status = c.RubricStatus.IN_USE
    rubric.save(update_fields=["status"])
    audit.record("rubrics.rubric.activated", obj=rubric, actor=actor)
    return rubric


@transaction.atomic
def retire_rubric(rubric: Rubric, *, actor) -> Rubric:
    rubric = _locked(rubric)
    if actor is not None:
        scope.check(actor, rubric, "change")
    if rubric.status != c.RubricStatus.IN_USE:
        raise StateConflict(_("Only a rubric in use can be retired."))
    rubric.status = c.RubricStatus.RETIRED
    rubric.save(update_fields=["status"])
    audit.record("rubrics.rubric.retired", obj=rubric, actor=actor)
    return rubric


@transaction.atomic
def copy_rubric(rubric: Rubric, *, actor, region=None, name="") -> Rubric:
    """A draft copy of `rubric` (criteria included) for the actor's region."""
    region = region or rubric.region
    if actor is not None:
        scope.require_region(actor, Rubric, "create", region)
    copy = Rubric.objects.create(
        name=name or _("%(name)s (copy)") % {"name": rubric.name},
        purpose=rubric.purpose,
        region=region,
        description=rubric.description,
        grade_bands=rubric.grade_bands,
        copied_from=rubric,
        created_by=_user(actor),
    )
    Criterion.objects.bulk_create(
        Criterion(
            rubric=copy, position=cr.position, **{f: getattr(cr, f) for f in CRITERION_FIELDS}
        )
        for cr in rubric.criteria.all()
    )
    audit.record("rubrics.rubric.copied", obj=copy, actor=actor, detail={"from": rubric.pk})
    return copy
