"""Eligibility of a nominee against a call's rules (`Call.eligibility`), read from the
registries: certified registrations (kind and years), approved volunteer service hours,
region, title level, age, open disciplinary flags, previous awards of the same honour.

One function serves the nomination form, the API and the demo: `eligibility_errors`
returns one message per failed rule, naming the rule and the nominee's value."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Min, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import clock
from kepu.people.choices import RegistrationKind, RegistrationStatus, TitleLevel
from kepu.selections.models import DisciplinaryFlag

# Low to high: a rule "at least intermediate" accepts intermediate, deputy and senior.
TITLE_ORDER = [
    TitleLevel.NONE,
    TitleLevel.JUNIOR,
    TitleLevel.INTERMEDIATE,
    TitleLevel.DEPUTY_SENIOR,
    TitleLevel.SENIOR,
]
RULES = {
    "registration_kinds": gettext_lazy("Registration kind"),
    "min_registered_years": gettext_lazy("Years since certified registration"),
    "min_service_hours": gettext_lazy("Approved volunteer service hours"),
    "min_title_level": gettext_lazy("Professional title level"),
    "min_age": gettext_lazy("Minimum age"),
    "within_region": gettext_lazy("Within the organizing region"),
    "no_open_flag": gettext_lazy("No open disciplinary flag"),
    "max_previous_awards": gettext_lazy("Previous awards of this honour"),
}
WHOLE_NUMBER_RULES = ("min_registered_years", "min_age", "max_previous_awards")


def rule_errors(rules) -> list[str]:
    """Why a call's eligibility rules are not well formed (each message names the rule),
    or []."""
    if not isinstance(rules, dict):
        return [_("The eligibility rules must be an object.")]
    errors = []
    unknown = sorted(set(rules) - set(RULES))
    if unknown:
        errors.append(_("Unknown eligibility rules: %(rules)s.") % {"rules": ", ".join(unknown)})
    kinds = rules.get("registration_kinds", [])
    if not isinstance(kinds, list) or any(k not in RegistrationKind.values for k in kinds):
        errors.append(
            _("%(rule)s: choose among the registration kinds.")
            % {"rule": RULES["registration_kinds"]}
        )
    for key in WHOLE_NUMBER_RULES:
        value = rules.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150
        ):
            errors.append(
                _("%(rule)s must be a whole number from 0 to 150.") % {"rule": RULES[key]}
            )
    hours = rules.get("min_service_hours")
    if hours is not None and (
        isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 <= hours <= 100_000
    ):
        errors.append(
            _("%(rule)s must be a number of hours of 0 or more.")
            % {"rule": RULES["min_service_hours"]}
        )
    level = rules.get("min_title_level")
    if level not in (None, "") and level not in TitleLevel.values:
        errors.append(_("%(rule)s: choose a title level.") % {"rule": RULES["min_title_level"]})
    for key in ("within_region", "no_open_flag"):
        if not isinstance(rules.get(key, False), bool):
            errors.append(_("%(rule)s must be yes or no.") % {"rule": RULES[key]})
    return errors


def describe(rules) -> list[str]:
    """The rules in words, for the call's notice."""
    rules = rules or {}
    lines = []
    kinds = rules.get("registration_kinds") or []
    if kinds:
        labels = "、".join(str(RegistrationKind(k).label) for k in kinds)
        lines.append(_("A certified registration as: %(kinds)s") % {"kinds": labels})
    if rules.get("min_registered_years"):
        lines.append(
            _("Certified registration for at least %(n)d years")
            % {"n": rules["min_registered_years"]}
        )
    if rules.get("min_service_hours"):
        lines.append(
            _("At least %(n)s approved volunteer service hours") % {"n": rules["min_service_hours"]}
        )
    if rules.get("min_title_level"):
        lines.append(
            _("A professional title of level %(level)s or higher")
            % {"level": TitleLevel(rules["min_title_level"]).label}
        )
    if rules.get("min_age"):
        lines.append(_("Aged at least %(n)d") % {"n": rules["min_age"]})
    if rules.get("within_region"):
        lines.append(_("Working or living within the organizing region"))
    if rules.get("no_open_flag"):
        lines.append(_("No open disciplinary matter on the nominee or the unit"))
    if rules.get("max_previous_awards") is not None and "max_previous_awards" in rules:
        n = rules["max_previous_awards"]
        lines.append(
            _("Not awarded this honour before")
            if n == 0
            else _("Awarded this honour at most %(n)d times before") % {"n": n}
        )
    return lines


def _full_years(start: datetime.date, on: datetime.date) -> int:
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def approved_hours(person) -> Decimal:
    from kepu.volunteering.choices import HourStatus
    from kepu.volunteering.models import HourEntry

    total = HourEntry.objects.filter(person=person, status=HourStatus.APPROVED).aggregate(
        n=Sum("hours")
    )["n"]
    return total or Decimal(0)


def has_open_flag(*, person=None, organization=None) -> bool:
    q = Q(pk__in=[])
    if person is not None:
        q |= Q(person=person)
    if organization is not None:
        q |= Q(organization=organization)
    return DisciplinaryFlag.objects.open().filter(q).exists()


def eligibility_errors(call, *, person=None, organization=None, region=None, on=None) -> list:
    """One message per rule of `call` the nominee (a person, or a unit) fails, naming the
    rule and the nominee's value; [] when eligible. `region` is the entry's region."""
    from kepu.people.models import HonourAward, Registration

    rules, errors, on = call.eligibility or {}, [], on or clock.today()
    region = region or (person.region if person else organization.region if organization else None)
    outside = region is not None and not (region.path or "").startswith(call.region.path or "-")
    if rules.get("within_region") and outside:
        errors.append(
            _("%(rule)s: the nominee is in %(value)s, outside %(region)s.")
            % {"rule": RULES["within_region"], "value": region.name, "region": call.region.name}
        )
    if rules.get("no_open_flag") and has_open_flag(person=person, organization=organization):
        errors.append(
            _("%(rule)s: an open disciplinary flag is recorded on the nominee or the unit.")
            % {"rule": RULES["no_open_flag"]}
        )
    if person is None:
        return errors
    kinds = rules.get("registration_kinds") or []
    years = rules.get("min_registered_years") or 0
    if kinds or years:
        regs = Registration.objects.filter(person=person, status=RegistrationStatus.CERTIFIED)
        if kinds:
            regs = regs.filter(kind__in=kinds)
        first = regs.aggregate(first=Min("start_date"))["first"]
        if first is None:
            errors.append(
                _("%(rule)s: the nominee has no certified registration of the required kind.")
                % {"rule": RULES["registration_kinds"]}
            )
        elif years and _full_years(first, on) < years:
            errors.append(
                _("%(rule)s: at least %(n)d required, the nominee has %(value)d (since %(d)s).")
                % {
                    "rule": RULES["min_registered_years"],
                    "n": years,
                    "value": max(_full_years(first, on), 0),
                    "d": first.isoformat(),
                }  # fmt: skip
            )
    hours = rules.get("min_service_hours") or 0
    if hours:
        got = approved_hours(person)
        if got < Decimal(str(hours)):
            errors.append(
                _("%(rule)s: at least %(n)s required, the nominee has %(value)s.")
                % {"rule": RULES["min_service_hours"], "n": hours, "value": got.normalize()}
            )
    level = rules.get("min_title_level")
    if level:
        have = person.title_level or TitleLevel.NONE
        if TITLE_ORDER.index(have) < TITLE_ORDER.index(level):
            errors.append(
                _("%(rule)s: %(level)s or higher required, the nominee's is %(value)s.")
                % {
                    "rule": RULES["min_title_level"],
                    "level": TitleLevel(level).label,
                    "value": TitleLevel(have).label,
                }  # fmt: skip
            )
    min_age = rules.get("min_age") or 0
    if min_age:
        if person.birth_date is None:
            errors.append(
                _("%(rule)s: the nominee's birth date is not recorded.")
                % {"rule": RULES["min_age"]}
            )
        elif _full_years(person.birth_date, on) < min_age:
            errors.append(
                _("%(rule)s: at least %(n)d required, the nominee is %(value)d.")
                % {
                    "rule": RULES["min_age"],
                    "n": min_age,
                    "value": _full_years(person.birth_date, on),
                }
            )
    most = rules.get("max_previous_awards")
    if most is not None and call.honour:
        had = HonourAward.objects.filter(person=person, honour=call.honour).count()
        if had > most:
            errors.append(
                _("%(rule)s: at most %(n)d allowed, the nominee has %(value)d.")
                % {"rule": RULES["max_previous_awards"], "n": most, "value": had}
            )
    return errors
