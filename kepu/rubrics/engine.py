"""The rubric engine: validates a rubric, turns values into points, points into a total
and a grade, for one subject or thousands at once.

Points are Decimals rounded to two places per criterion, so a total is the exact sum of
its lines and the same inputs always give the same grade. `evaluate_many` scores every
subject with the same pre-parsed criteria (5,000 bases × 15 criteria in well under a
second); `auto_values` asks each registered source once for all subjects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kepu.core.errors import DomainError
from kepu.rubrics import choices as c

CENT = Decimal("0.01")


# --- registry sources ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A value the registries hold about a subject, for `auto` criteria: `compute(ids,
    context)` returns {subject id: number} for all `ids` in a bounded number of queries
    (`context` carries e.g. the year evaluated)."""

    code: str
    label: str
    unit: str
    subject: str  # what it describes, e.g. "bases.base"
    compute: Callable[[list, dict], dict]


_sources: dict[str, Source] = {}


def register_source(code, label, unit, subject):
    """Decorator: register `compute(ids, context)` as the source `code`."""

    def decorator(compute):
        _sources[code] = Source(code, label, unit, subject, compute)
        return compute

    return decorator


def sources(subject: str | None = None) -> list[Source]:
    return [s for s in _sources.values() if subject is None or s.subject == subject]


def get_source(code: str) -> Source | None:
    return _sources.get(code)


# --- bands -----------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def band_label(band: dict, unit: str = "") -> str:
    low, high = _number(band.get("min")), _number(band.get("max"))
    fmt = lambda n: f"{n.normalize():f}"  # noqa: E731
    if low is None and high is None:
        text = _("any value")
    elif low is None:
        text = f"< {fmt(high)}"
    elif high is None:
        text = f"≥ {fmt(low)}"
    else:
        text = f"{fmt(low)}–{fmt(high)}"
    return f"{text} {unit}".strip()


def band_errors(bands) -> list[str]:
    """Why `bands` are not well formed (ascending, contiguous, shares 0–100), or []."""
    if not isinstance(bands, list) or not bands:
        return [_("Give at least one band.")]
    errors = []
    previous_max = None
    for i, band in enumerate(bands):
        if not isinstance(band, dict):
            return [_("Band %(n)d is not a band.") % {"n": i + 1}]
        low, high = _number(band.get("min")), _number(band.get("max"))
        share = _number(band.get("share"))
        if band.get("min") not in (None, "") and low is None:
            errors.append(_("Band %(n)d: the lower bound is not a number.") % {"n": i + 1})
        if band.get("max") not in (None, "") and high is None:
            errors.append(_("Band %(n)d: the upper bound is not a number.") % {"n": i + 1})
        if share is None or not (0 <= share <= 100):
            errors.append(_("Band %(n)d: the share must be 0 to 100%%.") % {"n": i + 1})
        if low is not None and high is not None and low >= high:
            errors.append(_("Band %(n)d: the lower bound must be below the upper.") % {"n": i + 1})
        if i == 0 and low is not None and previous_max is None:
            pass  # values below the first band fall in no band: scored as an error
        if i > 0 and (low is None or previous_max is None or low != previous_max):
            errors.append(_("Band %(n)d must start where band %(p)d ends.") % {"n": i + 1, "p": i})
        if i < len(bands) - 1 and high is None:
            errors.append(_("Only the last band may be open above."))
        previous_max = high
    return errors


def _parsed_bands(bands):
    return [
        (_number(b.get("min")), _number(b.get("max")), Decimal(str(b.get("share", 0))) / 100)
        for b in bands
    ]


# --- validation ------------------------------------------------------------------------


def grade_band_errors(grade_bands) -> list[str]:
    grades = {g.value for g in c.Grade}
    if not isinstance(grade_bands, list) or not grade_bands:
        return [_("Give the grade bands.")]
    errors, previous = [], None
    for band in grade_bands:
        low = _number(band.get("min")) if isinstance(band, dict) else None
        if low is None or band.get("grade") not in grades or not (0 <= low <= 100):
            errors.append(_("Each grade band needs a grade and a lowest total of 0 to 100."))
            break
        if previous is not None and low >= previous:
            errors.append(_("Grade bands go from the highest total down."))
            break
        previous = low
    if not errors and previous != 0:
        errors.append(_("The last grade band must start at 0, so every total has a grade."))
    return errors


def criterion_errors(criterion) -> list[str]:
    errors = []
    if criterion.method == c.Method.MANUAL:
        if criterion.bands:
            errors.append(_("A criterion scored by the evaluator has no bands."))
    else:
        errors.extend(band_errors(criterion.bands))
    if criterion.method == c.Method.AUTO:
        if get_source(criterion.source) is None:
            errors.append(_("Choose the registry source that computes it."))
    elif criterion.source:
        errors.append(_("Only a computed criterion has a registry source."))
    return errors


def validate(rubric) -> None:
    """Raise DomainError unless `rubric` can be used: weights adding up to exactly 100,
    every criterion well formed, grade bands from the top down to 0."""
    criteria = list(rubric.criteria.all())
    errors = []
    if not criteria:
        errors.append(_("The rubric has no criteria."))
    total = sum((cr.weight for cr in criteria), Decimal(0))
    if criteria and total != c.TOTAL:
        errors.append(
            _("The weights add up to %(total)s points; they must add up to 100.")
            % {"total": f"{total.normalize():f}"}
        )
    for criterion in criteria:
        for message in criterion_errors(criterion):
            errors.append(f"{criterion.name}: {message}")
    errors.extend(grade_band_errors(rubric.grade_bands))
    if errors:
        raise DomainError(errors)


# --- scoring ---------------------------------------------------------------------------


@dataclass
class Line:
    code: str
    name: str
    weight: Decimal
    value: Decimal | None
    points: Decimal | None
    band: str = ""


@dataclass
class Result:
    total: Decimal
    grade: str
    lines: list[Line] = field(default_factory=list)
    complete: bool = True  # every criterion had its value or points

    def points(self) -> dict[str, str]:
        """{code: points as text}, for a score sheet's `lines`."""
        return {ln.code: f"{ln.points}" for ln in self.lines if ln.points is not None}

    @property
    def grade_label(self) -> str:
        return c.Grade(self.grade).label if self.grade else ""


class _Compiled:
    """A rubric's criteria and grade bands parsed once for many subjects."""

    def __init__(self, rubric):
        # Each band parsed and labelled once for all subjects (a label per line of every
        # subject was a fifth of the time of a province-wide evaluation).
        self.criteria = [
            (
                cr,
                [
                    (*parsed, band_label(band, cr.unit))
                    for parsed, band in zip(_parsed_bands(cr.bands), cr.bands, strict=True)
                ]
                if cr.takes_value
                else None,
            )
            for cr in sorted(rubric.criteria.all(), key=lambda cr: (cr.position, cr.pk or 0))
        ]
        self.grades = [(_number(b["min"]), b["grade"]) for b in rubric.grade_bands]

    def grade(self, total: Decimal) -> str:
        for low, grade in self.grades:
            if total >= low:
                return grade
        return c.Grade.FAIL

    def line(self, criterion, bands, raw, *, strict: bool) -> Line:
        value = _number(raw)
        if raw not in (None, "") and value is None:
            raise DomainError(
                {criterion.code: [_("%(name)s: not a number.") % {"name": criterion.name}]}
            )
        if value is None:
            if strict:
                raise DomainError(
                    {criterion.code: [_("%(name)s: not scored yet.") % {"name": criterion.name}]}
                )
            return Line(criterion.code, criterion.name, criterion.weight, None, None)
        if bands is None:
            if not (0 <= value <= criterion.weight):
                raise DomainError(
                    {
                        criterion.code: [
                            _("%(name)s: the points must be 0 to %(weight)s.")
                            % {
                                "name": criterion.name,
                                "weight": f"{criterion.weight.normalize():f}",
                            }
                        ]
                    }
                )
            points = value.quantize(CENT, ROUND_HALF_UP)
            return Line(criterion.code, criterion.name, criterion.weight, value, points)
        for low, high, share, label in bands:
            if (low is None or value >= low) and (high is None or value < high):
                points = (criterion.weight * share).quantize(CENT, ROUND_HALF_UP)
                return Line(criterion.code, criterion.name, criterion.weight, value, points, label)
        raise DomainError(
            {
                criterion.code: [
                    _("%(name)s: the value %(value)s falls in no band.")
                    % {"name": criterion.name, "value": f"{value.normalize():f}"}
                ]
            }
        )

    def evaluate(self, values: dict, *, strict: bool) -> Result:
        lines = [
            self.line(cr, bands, values.get(cr.code), strict=strict) for cr, bands in self.criteria
        ]
        total = sum((ln.points for ln in lines if ln.points is not None), Decimal(0))
        complete = all(ln.points is not None for ln in lines)
        return Result(total, self.grade(total), lines, complete)


def evaluate(rubric, values: dict, *, strict: bool = True) -> Result:
    """Score one subject. `values` {criterion code: points (manual) or value (banded,
    auto)}. Strict: every criterion must be given (a submitted score sheet); otherwise a
    missing one scores nothing and the result says it is not complete (a draft)."""
    return _Compiled(rubric).evaluate(values, strict=strict)


def evaluate_many(rubric, values_by_subject: dict, *, strict: bool = True) -> dict:
    """{subject id: Result} for many subjects on one rubric (criteria parsed once). A
    subject whose values are refused gets the DomainError in place of a result."""
    compiled = _Compiled(rubric)
    results = {}
    for subject, values in values_by_subject.items():
        try:
            results[subject] = compiled.evaluate(values, strict=strict)
        except DomainError as exc:
            results[subject] = exc
    return results


def auto_values(rubric, subject_ids: Iterable, context: dict | None = None) -> dict:
    """{subject id: {criterion code: value}} of the rubric's computed criteria, each
    source asked once for all subjects (a subject a source does not know gets 0)."""
    ids = list(subject_ids)
    out: dict = {i: {} for i in ids}
    for criterion in rubric.criteria.all():
        if criterion.method != c.Method.AUTO:
            continue
        source = get_source(criterion.source)
        if source is None:
            raise DomainError(
                _("The registry source %(code)s is not installed.") % {"code": criterion.source}
            )
        computed = source.compute(ids, context or {})
        for i in ids:
            out[i][criterion.code] = computed.get(i, 0)
    return out


def mean_total(totals: Iterable[Decimal]) -> Decimal | None:
    """The mean of several evaluators' totals, two places (None without any)."""
    totals = [t for t in totals if t is not None]
    if not totals:
        return None
    return (sum(totals, Decimal(0)) / len(totals)).quantize(CENT, ROUND_HALF_UP)


def grade_of(rubric, total: Decimal) -> str:
    for band in rubric.grade_bands:
        if total >= _number(band["min"]):
            return band["grade"]
    return c.Grade.FAIL
