"""Changes to a data set's validation rules (province officers, audited). The form has
compiled the expressions with the engine already; the service compiles again so that no
path stores a rule the engine cannot read."""

from django.db import transaction

from kepu.core import audit
from kepu.core.errors import DomainError
from kepu.stats.models import ValidationRule
from kepu.stats.services.validation import Checker, ExpressionError

FIELDS = ValidationRule.AUDIT_FIELDS + ("is_active",)


def _compile(rule) -> None:
    try:
        Checker(rule.data_set).compile_rule(rule)
    except ExpressionError as exc:
        raise DomainError({"left": str(exc)}) from exc


@transaction.atomic
def create_rule(data_set, *, actor, **fields) -> ValidationRule:
    rule = ValidationRule(data_set=data_set, **fields)
    _compile(rule)
    rule.save()
    audit.created(rule, actor=actor)
    return rule


@transaction.atomic
def change_rule(rule, *, actor, **fields) -> ValidationRule:
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule, FIELDS)
    for name, value in fields.items():
        setattr(rule, name, value)
    _compile(rule)
    rule.save()
    changes = audit.diff(before, audit.snapshot(rule, FIELDS))
    if changes:
        audit.record("stats.validationrule.changed", obj=rule, actor=actor, changes=changes)
    return rule
