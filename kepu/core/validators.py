"""Validators of national identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: 18 characters from this 31-character alphabet
# (no I, O, S, V, Z); the last is a check character over the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_CODE_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}


def credit_code_check_char(body: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(_VALUE[c] * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="credit_code_length",
            params={"n": len(code)},
        )
    bad = [c for c in code if c not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain “%(chars)s”."),
            code="credit_code_chars",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; please check it."),
            code="credit_code_check",
        )
