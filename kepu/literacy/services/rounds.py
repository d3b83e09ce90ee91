"""Survey rounds: create and change a draft, build its sampling frame (county × urban or
rural from the census margins), allocate the sample from a target margin of error,
assemble the parallel forms from the bank, field it (open), close it — by hand or when
its window ends (the `literacy.close_due` schedule) — and name its interviewers."""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.estimation import EstimationError, allocation
from kepu.literacy.models import (
    Dimension,
    Form,
    FormItem,
    Instrument,
    Item,
    SamplePoint,
    Stratum,
    SurveyRound,
)
from kepu.literacy.services.margins import CENSUS_YEAR

DEFAULT_POINT_QUOTA = 25  # respondents per sample point (村/社区): 15–30 in practice
BENCHMARKS = [f"基准{n}" for n in range(1, 27)]  # the 2016 test's 26 基准
BENCHMARK_CODE = "benchmark-2016"


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def require(actor, obj, action) -> None:
    """The actor may `action` the round (in scope, no object rule refuses); the system
    (actor None) always may."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def locked(round_) -> SurveyRound:
    return (
        SurveyRound.objects.select_for_update(of=("self",))
        .select_related("region", "instrument")
        .get(pk=round_.pk)
    )


# -- create and change -----------------------------------------------------------------


def round_errors(round_: SurveyRound) -> dict:
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    instrument = round_.instrument
    wanted = (
        c.InstrumentKind.OPINION
        if round_.kind == c.RoundKind.SATISFACTION
        else c.InstrumentKind.SCORED
    )
    if instrument is not None and instrument.kind != wanted:
        add("instrument", _("Choose an instrument of this kind of survey."))
    if round_.opens_at and round_.closes_at and round_.closes_at <= round_.opens_at:
        add("closes_at", _("Fielding must close after it opens."))
    if round_.age_min < 15 or round_.age_max > 100 or round_.age_max < round_.age_min:
        add("age_max", _("Give an age range between 15 and 100."))
    for name in ("target_moe", "expected_rate", "response_rate", "confidence"):
        value = getattr(round_, name)
        if value is None or not Decimal("0") < Decimal(value) < Decimal("1"):
            add(name, _("Give a share between 0 and 1."))
    if round_.target_moe is not None and Decimal(round_.target_moe) > Decimal("0.2"):
        add("target_moe", _("A margin of error above 20 points tells nothing."))
    if round_.design_effect is None or not 1 <= Decimal(round_.design_effect) <= 10:
        add("design_effect", _("The design effect lies between 1 and 10."))
    if not 1 <= round_.form_count <= 6:
        add("form_count", _("Between 1 and 6 parallel forms."))
    if instrument is not None:
        add_blueprint = blueprint_errors(instrument, round_.blueprint)
        for message in add_blueprint:
            add("blueprint", message)
    quality = round_.quality if isinstance(round_.quality, dict) else None
    if quality is None:
        add("quality", _("The quality rules must be an object."))
    else:
        seconds = quality.get("min_seconds_per_item", 0)
        share = quality.get("straightline_share", 1)
        if not isinstance(seconds, int | float) or not 0 <= seconds <= 60:
            add("quality", _("Seconds per item: between 0 and 60."))
        if not isinstance(share, int | float) or not 0.5 <= share <= 1:
            add("quality", _("Straight-lining share: between 0.5 and 1."))
    return errors


def blueprint_errors(instrument, blueprint) -> list[str]:
    if not isinstance(blueprint, dict):
        return [_("The blueprint must give a number of items per dimension.")]
    codes = set(instrument.dimensions.values_list("code", flat=True))
    errors = []
    for code, count in blueprint.items():
        if code not in codes:
            errors.append(_("“%(c)s” is not a dimension of the instrument.") % {"c": code})
        elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            errors.append(_("Items per dimension: a whole number from 1 to 100."))
    return errors


def _validate(round_: SurveyRound) -> None:
    errors = {}
    try:
        round_.full_clean(
            exclude=["created_by", "interviewers", "token"], validate_constraints=False
        )
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    for field, messages in round_errors(round_).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise DomainError(errors)


@transaction.atomic
def create_round(region, *, actor, **fields) -> SurveyRound:
    """A draft round organized by `region` (a province, city or county)."""
    scope.require_region(actor, SurveyRound, "create", region)
    allowed = {*SurveyRound.EDITABLE_FIELDS, "kind", "instrument"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(f)s") % {"f": sorted(unknown)})
    if not isinstance(fields.get("instrument"), Instrument):
        raise DomainError({"instrument": [_("Choose an instrument.")]})
    if region.level > RegionLevel.COUNTY:
        raise DomainError(_("A round is organized by a province, a city or a county."))
    round_ = SurveyRound(region=region, created_by=user_or_none(actor), **fields)
    _validate(round_)
    round_.save()
    audit.created(round_, actor=actor)
    return round_


@transaction.atomic
def change_round(round_, *, actor, **fields) -> SurveyRound:
    """Change a draft round's settings."""
    round_ = locked(round_)
    require(actor, round_, "change")
    if not round_.can_change():
        raise StateConflict(_("Only a round being prepared can be changed."))
    unknown = set(fields) - set(SurveyRound.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": sorted(unknown)})
    before = audit.snapshot(round_)
    for name, value in fields.items():
        setattr(round_, name, value)
    _validate(round_)
    round_.save(update_fields=list(fields))
    audit.record(
        "literacy.surveyround.changed", obj=round_, actor=actor,
        changes=audit.diff(before, audit.snapshot(round_)),
    )  # fmt: skip
    return round_


def _draft(round_, actor, action="change") -> SurveyRound:
    round_ = locked(round_)
    require(actor, round_, action)
    if not round_.can_change():
        raise StateConflict(_("Only a round being prepared can be changed."))
    return round_


# -- the frame and the allocation -------------------------------------------------------


def frame_counties(round_) -> list[Region]:
    if round_.region.level == RegionLevel.COUNTY:
        return [round_.region]
    return list(
        Region.objects.subtree(round_.region).filter(level=RegionLevel.COUNTY).order_by("path")
    )


def _expected_sd(rate: float, area: str) -> float:
    # Urban residents are about twice as often literate as rural ones (the national
    # survey's urban/rural gap), so the strata's spreads differ.
    p = min(0.95, rate * (1.3 if area == c.AreaType.URBAN else 0.7))
    return math.sqrt(p * (1 - p))


@transaction.atomic
def build_frame(round_, *, actor) -> int:
    """The strata: every county under the round's region × urban and rural, each with
    its population aged 18–69 from the county's census margins (variable `area`).
    Refused, nothing written, when a county has no margins. Replaces an earlier frame
    (and its allocation and sample points). Returns the number of strata."""
    from kepu.literacy.models import PopulationMargin

    round_ = _draft(round_, actor)
    counties = frame_counties(round_)
    margins = {}
    rows = PopulationMargin.objects.filter(
        region__in=counties, year=CENSUS_YEAR, variable=c.MarginVar.AREA
    ).values_list("region_id", "category", "population")
    for region_id, category, population in rows:
        margins.setdefault(region_id, {})[category] = population
    missing = [county.name for county in counties if county.pk not in margins]
    if not counties:
        raise DomainError(_("The round's region has no counties."))
    if missing:
        shown = "、".join(missing[:10]) + ("…" if len(missing) > 10 else "")
        raise DomainError(
            _("%(n)d counties have no census margins (urban or rural): %(names)s. Enter or "
              "import them on the margins page first.") % {"n": len(missing), "names": shown}
        )  # fmt: skip
    round_.points.all().delete()
    round_.strata.all().delete()
    rate = float(round_.expected_rate)
    strata = [
        Stratum(
            round=round_, region=county, area=area, population=margins[county.pk].get(area, 0),
            sd=_expected_sd(rate, area),
        )
        for county in counties
        for area in (c.AreaType.URBAN, c.AreaType.RURAL)
        if margins[county.pk].get(area, 0) > 0
    ]  # fmt: skip
    Stratum.objects.bulk_create(strata, batch_size=1000)
    round_.sample_size = 0
    round_.save(update_fields=["sample_size"])
    audit.record(
        "literacy.surveyround.frame_built", obj=round_, actor=actor,
        detail={"strata": len(strata), "counties": len(counties),
                "population": sum(s.population for s in strata)},
    )  # fmt: skip
    return len(strata)


@dataclass(frozen=True)
class Design:
    """The arithmetic of the sample size, for the round page to say in words."""

    z: float
    effective: int  # the simple-random-sample size for the margin of error
    with_deff: int  # × the design effect
    designed: int  # ÷ the expected response rate


def _z(confidence: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2)


def design_of(round_) -> Design:
    """Sample size from the target margin of error (the engine's `sample_size`)."""
    conf, moe = float(round_.confidence), float(round_.target_moe)
    p, deff, rr = (
        float(round_.expected_rate),
        float(round_.design_effect),
        float(round_.response_rate),
    )
    effective, with_deff = _engine_sample_size(moe=moe, confidence=conf, p=p, deff=deff)
    return Design(_z(conf), effective, with_deff, math.ceil(with_deff / rr))


def _engine_sample_size(*, moe, confidence, p, deff) -> tuple[int, int]:
    """The simple-random-sample size and the size with the design effect, from the
    estimation engine's `allocation.sample_size`."""
    n0 = allocation.sample_size(moe=moe, confidence=confidence, p=p, deff=1.0)
    return int(n0), int(allocation.sample_size(moe=moe, confidence=confidence, p=p, deff=deff))


def _engine_allocate(total, populations, sds, method, minimum) -> list[int]:
    """The estimation engine's `allocation.allocate` (Neyman with the expected standard
    deviations; a stratum without one counts as 0.5, the largest a proportion has); its
    refusals become the page's errors."""
    neyman = method == c.Allocation.NEYMAN
    sds = [0.5 if sd is None else sd for sd in sds] if neyman else None
    try:
        shares = allocation.allocate(
            populations, total, method=method, sd_by_stratum=sds, minimum=minimum
        )
    except EstimationError as error:
        raise DomainError(error.translated(_)) from None
    return [int(n) for n in shares]


@transaction.atomic
def allocate_sample(round_, *, actor, point_quota=DEFAULT_POINT_QUOTA) -> int:
    """The designed sample from the target margin of error, shared among the strata by
    the round's allocation, and the sample points of each stratum with their quotas
    (about `point_quota` respondents each, named "<county>社区 N" / "<county>村 N").
    Replaces earlier points. Returns the designed sample."""
    round_ = _draft(round_, actor)
    if not 5 <= point_quota <= 200:
        raise DomainError({"point_quota": [_("Between 5 and 200 respondents per point.")]})
    strata = list(round_.strata.select_related("region").order_by("region__path", "area"))
    if not strata:
        raise DomainError(_("Build the sampling frame first."))
    design = design_of(round_)
    total = max(design.designed, round_.min_per_stratum * len(strata))
    shares = _engine_allocate(
        total, [s.population for s in strata], [s.sd for s in strata], round_.allocation,
        round_.min_per_stratum,
    )  # fmt: skip
    round_.points.all().delete()
    points = []
    for stratum, n in zip(strata, shares, strict=True):
        stratum.allocated = n
        count = max(1, math.ceil(n / point_quota))
        base, extra = divmod(n, count)
        urban = stratum.area == c.AreaType.URBAN
        word, letter = ("社区", "U") if urban else ("村", "R")
        for i in range(count):
            points.append(
                SamplePoint(
                    round=round_, stratum=stratum,
                    code=f"{stratum.region.code}{letter}{i + 1:02d}",
                    name=f"{stratum.region.name}{word} {i + 1}",
                    quota=base + (1 if i < extra else 0),
                )
            )  # fmt: skip
    Stratum.objects.bulk_update(strata, ["allocated"], batch_size=1000)
    SamplePoint.objects.bulk_create(points, batch_size=1000)
    round_.sample_size = sum(shares)
    round_.save(update_fields=["sample_size"])
    audit.record(
        "literacy.surveyround.allocated", obj=round_, actor=actor,
        detail={"sample": round_.sample_size, "effective": design.effective,
                "strata": len(strata), "points": len(points), "method": round_.allocation},
    )  # fmt: skip
    return round_.sample_size


# -- forms ------------------------------------------------------------------------------


def bank_items(round_):
    """The approved items of the round's instrument in its region's bank and the banks
    above it."""
    regions = round_.region.ancestors(include_self=True)
    return (
        Item.objects.usable()
        .filter(instrument_id=round_.instrument_id, region__in=regions)
        .select_related("dimension")
        .order_by("code", "pk")
    )


def _interleave(items, rng) -> list:
    """The items grouped by sub-dimension, groups interleaved (one of each, then a second
    of each …), so that any run of the list spreads over the sub-dimensions."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.sub_dimension, []).append(item)
    for group in groups.values():
        rng.shuffle(group)
    keys = sorted(groups)
    out = []
    for i in range(max((len(g) for g in groups.values()), default=0)):
        out.extend(groups[k][i] for k in keys if i < len(groups[k]))
    return out


def _cover(picked, pool, wanted):
    """Make `picked` cover every sub-dimension in `wanted` (swapping out an item of the
    most repeated sub-dimension) where the pool has one."""
    for sub in wanted:
        if any(i.sub_dimension == sub for i in picked):
            continue
        candidates = [i for i in pool if i.sub_dimension == sub]
        counts: dict = {}
        for i in picked:
            counts[i.sub_dimension] = counts.get(i.sub_dimension, 0) + 1
        crowded = max(counts, key=counts.get)
        if not candidates or counts[crowded] < 2:
            continue
        drop = next(j for j in range(len(picked) - 1, -1, -1) if picked[j].sub_dimension == crowded)
        picked[drop] = candidates[0]
    return picked


def _share(points: Decimal, n: int) -> list[Decimal]:
    """`points` shared among n slots in cents, the first slots taking the remainder."""
    each = (points / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    left = int((points - each * n) * 100)
    return [each + (Decimal("0.01") if i < left else 0) for i in range(n)]


@transaction.atomic
def assemble_forms(round_, *, actor) -> dict:
    """`form_count` parallel forms from the blueprint (the instrument's items per
    dimension unless the round says otherwise). Parallel forms share no item where the
    bank has enough; otherwise they overlap as little as possible (reported). The 2016
    test's forms cover the 26 基准. Refused when the bank lacks approved items for a
    dimension. Replaces earlier forms. Returns {"forms", "items", "shared"}."""
    round_ = _draft(round_, actor)
    dims = list(Dimension.objects.filter(instrument_id=round_.instrument_id))
    blueprint = {d.code: (round_.blueprint or {}).get(d.code, d.items_per_form) for d in dims}
    pools: dict = {d.code: [] for d in dims}
    for item in bank_items(round_):
        pools[item.dimension.code].append(item)
    short = [
        _("%(dim)s: %(need)d needed, %(have)d approved in the bank")
        % {"dim": d.name, "need": blueprint[d.code], "have": len(pools[d.code])}
        for d in dims
        if blueprint[d.code] and len(pools[d.code]) < blueprint[d.code]
    ]
    if short:
        raise DomainError(
            _("The bank lacks approved items: %(list)s.") % {"list": "; ".join(short)}
        )
    is_benchmark = round_.instrument.code == BENCHMARK_CODE
    if is_benchmark:
        have = {i.sub_dimension for pool in pools.values() for i in pool}
        lacking = [b for b in BENCHMARKS if b not in have]
        if lacking:
            raise DomainError(
                _("The bank has no approved item for %(list)s: a 2016 test covers all 26.")
                % {"list": "、".join(lacking)}
            )
    _release_forms(round_)
    rng = random.Random(f"literacy-round-{round_.pk}")  # noqa: S311 (a reproducible draw)
    forms = [
        Form(round=round_, label=chr(ord("A") + f), seed=secrets.randbelow(2**31))
        for f in range(round_.form_count)
    ]
    Form.objects.bulk_create(forms)
    slots, used, shared = [], {}, 0
    positions = [0] * len(forms)
    for dim in dims:
        count = blueprint[dim.code]
        if not count:
            continue
        pool = _interleave(pools[dim.code], rng)
        disjoint = len(pool) >= count * len(forms)
        if not disjoint:
            shared = max(shared, count * len(forms) - len(pool))
        for f, form in enumerate(forms):
            picked = [pool[(f * count + i) % len(pool)] for i in range(count)]
            if is_benchmark:
                picked = _cover(picked, pool, BENCHMARKS)
            for item, points in zip(picked, _share(Decimal(dim.points), count), strict=True):
                positions[f] += 1
                slots.append(FormItem(form=form, item=item, position=positions[f], points=points))
                used[item.pk] = used.get(item.pk, 0) + 1
    FormItem.objects.bulk_create(slots, batch_size=2000)
    for times in sorted(set(used.values())):
        Item.objects.filter(pk__in=[pk for pk, n in used.items() if n == times]).update(
            times_used=F("times_used") + times
        )
    summary = {"forms": len(forms), "items": len(used), "shared": shared}
    audit.record("literacy.surveyround.forms_assembled", obj=round_, actor=actor, detail=summary)
    return summary


def _release_forms(round_) -> None:
    """Drop a draft round's earlier forms, giving their items' usage back."""
    counts: dict = {}
    for item_id in FormItem.objects.filter(form__round=round_).values_list("item_id", flat=True):
        counts[item_id] = counts.get(item_id, 0) + 1
    for times in sorted(set(counts.values())):
        Item.objects.filter(
            pk__in=[pk for pk, n in counts.items() if n == times], times_used__gte=times
        ).update(times_used=F("times_used") - times)
    round_.forms.all().delete()


def forms_overlap(round_) -> int:
    """How many items appear on more than one of the round's forms."""
    from django.db.models import Count

    return (
        FormItem.objects.filter(form__round=round_)
        .values("item_id")
        .annotate(n=Count("form_id"))
        .filter(n__gt=1)
        .count()
    )


# -- fielding window --------------------------------------------------------------------


def opening_errors(round_) -> list[str]:
    errors = []
    if not round_.strata.exists():
        errors.append(_("Build the sampling frame."))
    elif round_.kind == c.RoundKind.LITERACY and not round_.sample_size:
        errors.append(_("Allocate the sample."))
    if not round_.forms.exists():
        errors.append(_("Assemble the forms."))
    if round_.closes_at <= clock.now():
        errors.append(_("The fielding window has already ended: change its dates."))
    return errors


@transaction.atomic
def open_round(round_, *, actor) -> SurveyRound:
    """Put the round in the field: its links and QR codes start taking responses from
    `opens_at`. Refused without strata, allocation and forms."""
    round_ = locked(round_)
    require(actor, round_, "open")
    if not round_.can_open():
        raise StateConflict(_("This round is no longer being prepared."))
    errors = opening_errors(round_)
    if errors:
        raise DomainError(_("The round cannot open yet: %(list)s") % {"list": " ".join(errors)})
    round_.status = c.RoundStatus.OPEN
    round_.save(update_fields=["status"])
    audit.record(
        "literacy.surveyround.opened", obj=round_, actor=actor,
        changes={"status": [c.RoundStatus.DRAFT, c.RoundStatus.OPEN]},
    )  # fmt: skip
    return round_


@transaction.atomic
def close_round(round_, *, actor) -> SurveyRound:
    """End the fielding: the links stop taking responses (a late one is told so and
    nothing is stored). Counters are final."""
    round_ = locked(round_)
    require(actor, round_, "close")
    if not round_.can_close():
        raise StateConflict(_("Only a round in the field can be closed."))
    round_.status = c.RoundStatus.CLOSED
    round_.closed_at = clock.now()
    round_.save(update_fields=["status", "closed_at"])
    audit.record(
        "literacy.surveyround.closed", obj=round_, actor=actor,
        changes={"status": [c.RoundStatus.OPEN, c.RoundStatus.CLOSED]},
        detail={"responses": round_.response_count, "valid": round_.valid_count},
    )  # fmt: skip
    return round_


def close_due_rounds(now=None) -> list[int]:
    """Close every round in the field whose window has ended (the schedule)."""
    now = now or clock.now()
    closed = []
    due = SurveyRound.objects.filter(status=c.RoundStatus.OPEN, closes_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        try:
            close_round(SurveyRound(pk=pk), actor=None)
        except StateConflict:  # closed by an officer meanwhile
            continue
        closed.append(pk)
    return closed


# -- interviewers -----------------------------------------------------------------------


def eligible_interviewers(round_):
    """Users who may interview for the round: officers in its region (or below) and the
    staff of member units there."""
    from django.db.models import Q

    from kepu.core.choices import Role
    from kepu.core.models import User

    path = round_.region.path
    return User.objects.filter(
        Q(role_assignments__role=Role.REGIONAL_OFFICER,
          role_assignments__region__path__startswith=path)
        | Q(role_assignments__role=Role.MEMBER_STAFF,
            role_assignments__organization__region__path__startswith=path),
        is_active=True,
    ).distinct()  # fmt: skip


@transaction.atomic
def add_interviewer(round_, user, *, actor) -> None:
    round_ = locked(round_)
    require(actor, round_, "change")
    if round_.status not in (c.RoundStatus.DRAFT, c.RoundStatus.OPEN):
        raise StateConflict(_("Interviewers are named before the round closes."))
    if not eligible_interviewers(round_).filter(pk=user.pk).exists():
        raise DomainError(
            {"user": [_("Only officers and member-unit staff of the round's region interview.")]}
        )
    round_.interviewers.add(user)
    audit.record(
        "literacy.surveyround.interviewer_added", obj=round_, actor=actor,
        detail={"user": user.username},
    )  # fmt: skip


@transaction.atomic
def remove_interviewer(round_, user, *, actor) -> None:
    round_ = locked(round_)
    require(actor, round_, "change")
    round_.interviewers.remove(user)
    audit.record(
        "literacy.surveyround.interviewer_removed", obj=round_, actor=actor,
        detail={"user": user.username},
    )  # fmt: skip
