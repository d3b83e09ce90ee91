"""The one validation engine of the survey: the form, the Excel import and the API all
check values here (DHIS2's validation rules).

- Each value is parsed from its text: a number (integers only where the indicator says
  so), "–" or "-" or empty for "not applicable"; text and negative counts are errors.
- Each breakdown (中级职称以上, 女性, 农村 …) is at most its parent total.
- Each active rule of the data set: `left operator right` over indicator expressions
  (codes, numbers, + − × ÷ and brackets), or a change from last year beyond the data
  set's threshold (8 %), which needs an explanation.

An error blocks submission; a warning needs an explanation. A side whose indicators are
all "not applicable" skips its rule; otherwise a missing value counts as 0.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kepu.stats import choices as c

NOT_APPLICABLE = {"", "-", "–", "—", "－"}
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# Rounding noise of sums of decimals (万元 to two places) is not a violation.
TOLERANCE = Decimal("0.005")


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Finding:
    key: str  # stable: the explanation of a warning is kept under it
    importance: str  # c.Importance
    message: str
    codes: tuple[str, ...] = ()
    left: Decimal | None = None
    right: Decimal | None = None

    @property
    def is_error(self) -> bool:
        return self.importance == c.Importance.ERROR

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "importance": self.importance,
            "message": self.message,
            "codes": list(self.codes),
            "left": None if self.left is None else str(self.left),
            "right": None if self.right is None else str(self.right),
        }


@dataclass
class Expression:
    """A compiled indicator expression: `codes` it reads, `evaluate(values)`."""

    text: str
    codes: tuple[str, ...]
    _tree: ast.AST = field(repr=False, default=None)

    @classmethod
    def compile(cls, text: str, known: set[str] | None = None) -> Expression:
        text = (text or "").strip()
        if not text:
            raise ExpressionError(_("The expression is empty."))
        try:
            tree = ast.parse(text.replace("×", "*").replace("÷", "/"), mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(
                _("“%(text)s” is not a valid expression.") % {"text": text}
            ) from exc
        codes: list[str] = []

        def walk(node):
            if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
                walk(node.left)
                walk(node.right)
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
                walk(node.operand)
            elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
                pass
            elif isinstance(node, ast.Name):
                if known is not None and node.id not in known:
                    raise ExpressionError(
                        _("Unknown indicator code: %(code)s.") % {"code": node.id}
                    )
                codes.append(node.id)
            else:
                raise ExpressionError(
                    _("Only indicator codes, numbers, + − × ÷ and brackets are allowed: %(text)s")
                    % {"text": text}
                )

        walk(tree)
        return cls(text=text, codes=tuple(dict.fromkeys(codes)), _tree=tree)

    def evaluate(self, values: dict[str, Decimal | None]) -> Decimal | None:
        """The value, or None when every indicator it reads is not applicable."""
        if self.codes and all(values.get(code) is None for code in self.codes):
            return None
        return self._eval(self._tree, values)

    def _eval(self, node, values) -> Decimal:
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left, values), self._eval(node.right, values)
            op = _BIN[type(node.op)]
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*":
                return left * right
            return left / right if right else Decimal(0)
        if isinstance(node, ast.UnaryOp):
            return -self._eval(node.operand, values)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        value = values.get(node.id)
        return Decimal(0) if value is None else value


@dataclass
class _Rule:
    code: str
    kind: str
    importance: str
    message: str
    operator: str
    left: Expression
    right: Expression | None


class Checker:
    """A data set's indicators and active rules, compiled once; reuse it for every
    return of a request or a job (a 5,000-unit upload compiles it once)."""

    def __init__(self, data_set):
        from kepu.stats.models import Indicator, ValidationRule

        self.data_set = data_set
        self.threshold = Decimal(data_set.change_threshold)
        self.indicators = list(
            Indicator.objects.filter(data_set=data_set)
            .select_related("parent")
            .order_by("table__order", "order", "code")
        )
        self.by_code = {i.code: i for i in self.indicators}
        # (breakdown, its total), resolved once: checking 5,000 rows reads no relation.
        self.breakdowns = [(i, i.parent) for i in self.indicators if i.parent_id is not None]
        self.codes = set(self.by_code)
        self.rules: list[_Rule] = []
        for rule in ValidationRule.objects.filter(data_set=data_set, is_active=True).order_by(
            "code"
        ):
            self.rules.append(self.compile_rule(rule))

    def compile_rule(self, rule) -> _Rule:
        """Raises ExpressionError naming what is wrong (the rule form shows it)."""
        if rule.kind == c.RuleKind.CHANGE:
            codes = [code for code in re.split(r"[\s,，、]+", rule.left.strip()) if code]
            unknown = [code for code in codes if code not in self.codes]
            if not codes or unknown:
                raise ExpressionError(
                    _("Unknown indicator code: %(code)s.") % {"code": ", ".join(unknown) or "-"}
                )
            left = Expression(text=rule.left, codes=tuple(codes))
            right = None
        else:
            left = Expression.compile(rule.left, self.codes)
            right = Expression.compile(rule.right, self.codes)
        return _Rule(
            rule.code, rule.kind, rule.importance, rule.message, rule.operator, left, right
        )

    # -- parsing -------------------------------------------------------------------

    def parse(self, raw: dict[str, object]) -> tuple[dict[str, Decimal | None], list[Finding]]:
        """Values from texts (a form's fields, an Excel row's cells, an API body), by
        code; each unreadable one is an error finding and stays None."""
        values: dict[str, Decimal | None] = {}
        findings: list[Finding] = []
        for code, text in raw.items():
            indicator = self.by_code.get(code)
            if indicator is None:
                findings.append(
                    Finding(
                        f"unknown:{code}",
                        c.Importance.ERROR,
                        _("Unknown indicator code: %(code)s.") % {"code": code},
                        (code,),
                    )
                )
                continue
            value, problem = self.parse_one(indicator, text)
            values[code] = value
            if problem:
                findings.append(Finding(f"value:{code}", c.Importance.ERROR, problem, (code,)))
        return values, findings

    def parse_one(self, indicator, text) -> tuple[Decimal | None, str]:
        label = f"{indicator.code} {indicator.name}"
        if text is None:
            return None, ""
        if isinstance(text, bool):
            return None, _("%(label)s: enter a number.") % {"label": label}
        if isinstance(text, int | float | Decimal):
            value = Decimal(str(text))
        else:
            text = str(text).strip().replace(",", "").replace("，", "")
            if text in NOT_APPLICABLE:
                return None, ""
            try:
                value = Decimal(text)
            except InvalidOperation:
                return None, _("%(label)s: “%(text)s” is not a number.") % {
                    "label": label,
                    "text": text[:40],
                }
        if not value.is_finite():
            return None, _("%(label)s: enter a number.") % {"label": label}
        if value < 0:
            return None, _("%(label)s: a count cannot be negative.") % {"label": label}
        if indicator.value_type == c.ValueType.INTEGER and value != value.to_integral_value():
            return None, _("%(label)s: enter a whole number.") % {"label": label}
        if value >= Decimal("1e14"):
            return None, _("%(label)s: the number is too large.") % {"label": label}
        return value.quantize(Decimal("0.01")), ""

    # -- checking ------------------------------------------------------------------

    def check(
        self,
        values: dict[str, Decimal | None],
        previous: dict[str, Decimal | None] | None = None,
    ) -> list[Finding]:
        """Every finding of one return's values (breakdowns, then the rules in code
        order); `previous` is last year's return of the same unit, if any."""
        findings: list[Finding] = []
        for indicator, parent in self.breakdowns:
            part, total = values.get(indicator.code), values.get(parent.code)
            if part is not None and part > (total or 0) + TOLERANCE:
                findings.append(
                    Finding(
                        f"breakdown:{indicator.code}",
                        c.Importance.ERROR,
                        _(
                            "%(part)s (%(value)s) is larger than its total "
                            "%(total)s (%(total_value)s)."
                        )
                        % {
                            "part": f"{indicator.code} {indicator.name}",
                            "value": _fmt(part),
                            "total": f"{parent.code} {parent.name}",
                            "total_value": _fmt(total or 0),
                        },
                        (indicator.code, parent.code),
                        part,
                        total,
                    )
                )
        for rule in self.rules:
            if rule.kind == c.RuleKind.CHANGE:
                findings += self._changes(rule, values, previous)
                continue
            left, right = rule.left.evaluate(values), rule.right.evaluate(values)
            if left is None or right is None:
                continue
            if _holds(rule.operator, left, right):
                continue
            findings.append(
                Finding(
                    f"rule:{rule.code}",
                    rule.importance,
                    f"{rule.message}（{rule.left.text} = {_fmt(left)}，"
                    f"{rule.right.text} = {_fmt(right)}）",
                    rule.left.codes + rule.right.codes,
                    left,
                    right,
                )
            )
        return findings

    def _changes(self, rule: _Rule, values, previous) -> list[Finding]:
        if not previous:
            return []
        out = []
        for code in rule.left.codes:
            now, before = values.get(code), previous.get(code)
            if now is None or not before:
                continue
            change = (now - before) / before
            if abs(change) <= self.threshold:
                continue
            indicator = self.by_code[code]
            out.append(
                Finding(
                    f"change:{rule.code}:{code}",
                    rule.importance,
                    _(
                        "%(label)s changed by %(change)s from last year "
                        "(%(before)s → %(now)s): %(message)s"
                    )
                    % {
                        "label": f"{code} {indicator.name}",
                        "change": f"{change * 100:+.1f}%",
                        "before": _fmt(before),
                        "now": _fmt(now),
                        "message": rule.message,
                    },
                    (code,),
                    now,
                    before,
                )
            )
        return out


def _holds(op: str, left: Decimal, right: Decimal) -> bool:
    if op == "==":
        return abs(left - right) <= TOLERANCE
    if op == "!=":
        return abs(left - right) > TOLERANCE
    if op in ("<=", ">="):
        return _OPS[op](left, right) or abs(left - right) <= TOLERANCE
    return _OPS[op](left, right)


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def summarize(findings: list[Finding], explanations: dict[str, str]) -> dict:
    """Counts kept on the return: errors, warnings, warnings without an explanation."""
    errors = sum(f.is_error for f in findings)
    warnings = [f for f in findings if not f.is_error]
    unexplained = sum(not (explanations.get(f.key) or "").strip() for f in warnings)
    return {"errors": errors, "warnings": len(warnings), "unexplained": unexplained}
