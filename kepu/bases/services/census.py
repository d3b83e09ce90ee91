"""The infrastructure census (普查): a round over every listed base and venue of a
region with its fields as data, one return per base filled by its unit or an officer,
checked against the field definitions, accepted by the officers; completeness by region
in one grouped query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kepu.bases.models import Base, CensusReturn, CensusRound
from kepu.bases.models.subsidy import CensusStatus, ReturnStatus
from kepu.core import audit, clock, regiontree, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region

FIELD_TYPES = ("int", "decimal", "text", "choice", "bool")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
MAX_FIELDS = 60
MAX_TEXT = 500
TRUE, FALSE = ("yes", "true", "1", "on"), ("no", "false", "0", "off")
DONE = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)


def _number(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check_fields(fields) -> list[dict]:
    """The field definitions, normalized; DomainError({"fields": [...]}) naming each
    problem (field number and what is wrong)."""
    problems = []
    if not isinstance(fields, list) or not fields:
        raise DomainError({"fields": [_("Give at least one field.")]})
    if len(fields) > MAX_FIELDS:
        raise DomainError({"fields": [_("At most %(n)s fields.") % {"n": MAX_FIELDS}]})
    seen, out = set(), []
    for i, item in enumerate(fields, start=1):
        if not isinstance(item, dict):
            problems.append(_("Field %(i)s: not a field definition.") % {"i": i})
            continue
        code = str(item.get("code", "")).strip()
        label = str(item.get("label", "")).strip()
        kind = str(item.get("type", "")).strip()
        if not CODE.match(code):
            problems.append(
                _("Field %(i)s: the code is lower-case letters, digits and _ (e.g. area_m2).")
                % {"i": i}
            )
        elif code in seen:
            problems.append(
                _("Field %(i)s: the code %(code)s is used twice.") % {"i": i, "code": code}
            )
        seen.add(code)
        if not label or len(label) > 60:
            problems.append(_("Field %(i)s: give a label of at most 60 characters.") % {"i": i})
        if kind not in FIELD_TYPES:
            problems.append(
                _("Field %(i)s: the type is one of %(types)s.")
                % {"i": i, "types": ", ".join(FIELD_TYPES)}
            )
        field = {
            "code": code,
            "label": label,
            "type": kind,
            "required": bool(item.get("required", False)),
            "unit": str(item.get("unit", "") or "").strip()[:20],
        }
        if kind in ("int", "decimal"):
            low, high = item.get("min"), item.get("max")
            nlow, nhigh = _number(low), _number(high)
            if (low not in (None, "") and nlow is None) or (
                high not in (None, "") and nhigh is None
            ):
                problems.append(_("Field %(i)s: min and max are numbers.") % {"i": i})
            elif nlow is not None and nhigh is not None and nlow > nhigh:
                problems.append(_("Field %(i)s: min is above max.") % {"i": i})
            if nlow is not None:
                field["min"] = int(nlow) if kind == "int" else str(nlow)
            if nhigh is not None:
                field["max"] = int(nhigh) if kind == "int" else str(nhigh)
        if kind == "choice":
            choices = item.get("choices")
            if (
                not isinstance(choices, list)
                or len(choices) < 2
                or any(not str(x).strip() for x in choices)
            ):
                problems.append(
                    _("Field %(i)s: a choice field lists at least two choices.") % {"i": i}
                )
            else:
                field["choices"] = [str(x).strip()[:60] for x in choices]
        out.append(field)
    if problems:
        raise DomainError({"fields": problems})
    return out


def clean_values(fields: list[dict], raw: dict, *, complete: bool) -> dict:
    """The answers checked against the field definitions: {code: value} (numbers as
    int or str of a decimal, bool as bool). `complete` (submitting): required fields must
    be answered. DomainError({code: [message]}) naming each field that is wrong."""
    errors, values = {}, {}
    for f in fields:
        code, kind = f["code"], f["type"]
        value = raw.get(code)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if complete and f.get("required") and kind != "bool":
                errors[code] = [_("This field is required.")]
            continue
        if kind in ("int", "decimal"):
            number = _number(value)
            if number is None or (kind == "int" and number != number.to_integral_value()):
                errors[code] = [
                    _("Enter a whole number.") if kind == "int" else _("Enter a number.")
                ]
                continue
            low, high = _number(f.get("min")), _number(f.get("max"))
            if low is not None and number < low:
                errors[code] = [_("At least %(n)s.") % {"n": f["min"]}]
                continue
            if high is not None and number > high:
                errors[code] = [_("At most %(n)s.") % {"n": f["max"]}]
                continue
            values[code] = int(number) if kind == "int" else str(number)
        elif kind == "bool":
            text = str(value).lower()
            if value is True or text in TRUE:
                values[code] = True
            elif value is False or text in FALSE:
                values[code] = False
            else:
                errors[code] = [_("Answer yes or no.")]
        elif kind == "choice":
            if str(value) not in f.get("choices", []):
                errors[code] = [_("Choose one of the listed answers.")]
            else:
                values[code] = str(value)
        else:
            if len(str(value)) > MAX_TEXT:
                errors[code] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
            else:
                values[code] = str(value)
    if errors:
        raise DomainError(errors)
    return values


@transaction.atomic
def open_census_round(*, actor, region, name, year, fields, deadline) -> CensusRound:
    """A census over every listed base and venue of `region`: one return per base."""
    scope.require_region(actor, CensusRound, "create", region)
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the census a name.")]
    if not 2000 <= (year or 0) <= 2100:
        errors["year"] = [_("Give a year between 2000 and 2100.")]
    if deadline is None or deadline < clock.today():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    try:
        fields = check_fields(fields)
    except DomainError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise DomainError(errors)
    rnd = CensusRound.objects.create(
        name=name.strip(),
        region=region,
        year=year,
        fields=fields,
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    bases = Base.objects.listed().filter(scope.region_q("region_id", [region]))
    now = clock.now()
    returns = [
        CensusReturn(
            round=rnd, base_id=pk, region_id=region_id, organization_id=org, updated_at=now
        )
        for pk, region_id, org in bases.order_by("pk").values_list(
            "pk", "region_id", "organization_id"
        )
    ]
    CensusReturn.objects.bulk_create(returns, batch_size=2000)
    rnd.expected = len(returns)
    rnd.save(update_fields=["expected"])
    audit.created(rnd, actor=actor, detail={"returns": len(returns)})
    return rnd


@transaction.atomic
def close_census_round(rnd: CensusRound, *, actor) -> CensusRound:
    rnd = CensusRound.objects.select_for_update().get(pk=rnd.pk)
    if not rnd.is_open():
        raise StateConflict(_("This census is already closed."))
    rnd.status, rnd.closed_at = CensusStatus.CLOSED, clock.now()
    rnd.save(update_fields=["status", "closed_at"])
    audit.record(
        "bases.censusround.closed",
        obj=rnd,
        actor=actor,
        changes={"status": [CensusStatus.OPEN, CensusStatus.CLOSED]},
    )
    return rnd


def _locked_return(ret: CensusReturn) -> CensusReturn:
    return (
        CensusReturn.objects.select_for_update(of=("self",))
        .select_related("round", "base", "region")
        .get(pk=ret.pk)
    )


@transaction.atomic
def save_census_return(ret: CensusReturn, *, actor, values: dict, submit: bool) -> CensusReturn:
    """Save the answers (a draft may leave required fields empty) or submit them (all
    required fields answered). Every answer is checked against its field definition;
    a wrong one refuses the whole return."""
    ret = _locked_return(ret)
    scope.check(actor, ret, "fill")
    if not ret.can_fill():
        raise StateConflict(
            _("This return can no longer be changed: it is submitted or the census is closed.")
        )
    cleaned = clean_values(ret.round.fields, values, complete=submit)
    before = audit.snapshot(ret)
    ret.values = cleaned
    ret.filled_by = actor if getattr(actor, "is_authenticated", False) else None
    ret.updated_at = clock.now()
    if submit:
        ret.status, ret.submitted_at = ReturnStatus.SUBMITTED, ret.updated_at
    ret.save(update_fields=["values", "filled_by", "updated_at", "status", "submitted_at"])
    audit.record(
        "bases.censusreturn.submitted" if submit else "bases.censusreturn.saved",
        obj=ret,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(ret)),
    )
    return ret


@transaction.atomic
def accept_census_return(ret: CensusReturn, *, actor) -> CensusReturn:
    ret = _locked_return(ret)
    scope.check(actor, ret, "accept")
    if not ret.can_accept():
        raise StateConflict(_("Only a submitted return can be accepted."))
    ret.status, ret.accepted_at = ReturnStatus.ACCEPTED, clock.now()
    ret.save(update_fields=["status", "accepted_at"])
    audit.record(
        "bases.censusreturn.accepted",
        obj=ret,
        actor=actor,
        changes={"status": [ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED]},
    )
    return ret


@transaction.atomic
def reopen_census_return(ret: CensusReturn, *, actor, reason: str) -> CensusReturn:
    """Send a submitted return back to its unit to correct (the census still open)."""
    ret = _locked_return(ret)
    scope.check(actor, ret, "accept")
    if not ret.can_reopen():
        raise StateConflict(_("Only a submitted return of an open census can be sent back."))
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    ret.status, ret.submitted_at = ReturnStatus.DRAFT, None
    ret.save(update_fields=["status", "submitted_at"])
    audit.record(
        "bases.censusreturn.reopened",
        obj=ret,
        actor=actor,
        changes={"status": [ReturnStatus.SUBMITTED, ReturnStatus.DRAFT]},
        detail={"reason": reason.strip()[:300]},
    )
    return ret


# --- completeness ------------------------------------------------------------------------


@dataclass
class Completeness:
    region: Region
    expected: int
    done: int

    @property
    def rate(self) -> int:
        """Percent submitted (accepted included), rounded down."""
        return self.done * 100 // self.expected if self.expected else 0

    @property
    def has_children(self) -> bool:
        return bool(regiontree.children(self.region))


def completeness(rnd: CensusRound, parent: Region | None = None, returns=None) -> list:
    """Submitted ÷ expected returns for each region directly below `parent` (default the
    round's region), and `parent` itself first (its whole subtree). One grouped query
    over the returns by their region; the regions roll up by their path."""
    parent = parent or rnd.region
    returns = returns if returns is not None else CensusReturn.objects.filter(round=rnd)
    grouped = list(
        returns.filter(scope.region_q("region_id", [parent]))
        .order_by()
        .values("region_id", "region__path")
        .annotate(expected=Count("pk"), done=Count("pk", filter=Q(status__in=DONE)))
    )
    below = regiontree.children(parent)
    rows = {r.pk: Completeness(r, 0, 0) for r in below}
    whole = Completeness(parent, 0, 0)
    child_paths = [(r, f"{parent.path}{r.code}/") for r in below]
    for row in grouped:
        whole.expected += row["expected"]
        whole.done += row["done"]
        for region, path in child_paths:
            if row["region__path"].startswith(path):
                rows[region.pk].expected += row["expected"]
                rows[region.pk].done += row["done"]
                break
    return [whole, *(r for r in rows.values() if r.expected)]
