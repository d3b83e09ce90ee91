"""Changes to a data set's indicators (province officers, audited): tables and codes are
data, so the survey's next version is edited on a page, not in code. A code a rule reads
is never renamed away from under it, and a breakdown's total lies in the same table."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit
from kepu.core.errors import DomainError
from kepu.stats import choices as c
from kepu.stats.models import Indicator
from kepu.stats.services.validation import Expression, ExpressionError

FIELDS = Indicator.AUDIT_FIELDS


def _check(indicator: Indicator) -> None:
    parent = indicator.parent
    if parent is not None:
        if parent.pk == indicator.pk:
            raise DomainError({"parent": _("An indicator cannot be its own total.")})
        if parent.table_id != indicator.table_id:
            raise DomainError({"parent": _("The total must be in the same table.")})
        if parent.parent_id is not None and parent.parent_id == indicator.pk:
            raise DomainError({"parent": _("Two indicators cannot be each other's total.")})
    if indicator.section_id and indicator.section.table_id != indicator.table_id:
        raise DomainError({"section": _("The section must be in the same table.")})


def _rules_still_compile(data_set, old_code: str, new_code: str) -> None:
    """A renamed code must not leave an active rule reading the old one: refused before
    anything is written, naming the rule."""
    if old_code == new_code:
        return
    codes = set(data_set.indicators.values_list("code", flat=True)) - {old_code} | {new_code}
    for rule in data_set.rules.filter(is_active=True).order_by("code"):
        try:
            if rule.kind == c.RuleKind.CHANGE:
                missing = [
                    x for x in re.split(r"[\s,，、]+", rule.left.strip()) if x and x not in codes
                ]
                if missing:
                    raise ExpressionError(", ".join(missing))
            else:
                Expression.compile(rule.left, codes)
                Expression.compile(rule.right, codes)
        except ExpressionError as exc:
            raise DomainError(
                {
                    "code": _("Rule %(rule)s reads %(code)s; change the rule first.")
                    % {"rule": rule.code, "code": old_code}
                }
            ) from exc


@transaction.atomic
def create_indicator(data_set, *, actor, **fields) -> Indicator:
    indicator = Indicator(data_set=data_set, **fields)
    _check(indicator)
    indicator.save()
    audit.created(indicator, actor=actor)
    return indicator


@transaction.atomic
def change_indicator(indicator: Indicator, *, actor, **fields) -> Indicator:
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = audit.snapshot(indicator, FIELDS)
    old_code = indicator.code
    for name, value in fields.items():
        setattr(indicator, name, value)
    _check(indicator)
    _rules_still_compile(indicator.data_set, old_code, indicator.code)
    indicator.save()
    changes = audit.diff(before, audit.snapshot(indicator, FIELDS))
    if changes:
        audit.record("stats.indicator.changed", obj=indicator, actor=actor, changes=changes)
    return indicator
