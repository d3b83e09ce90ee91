"""Validators of national identifiers, and of clean text (names, titles, descriptions)."""

import re

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


# --- clean text -------------------------------------------------------------------------
# Characters that are never part of a name, a title or any other text a person types:
# control characters (C0 and C1, DEL) and the invisible bidirectional formatting marks
# (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) that reorder what is displayed (a name
# that reads differently from what is stored, "Trojan Source"). One-line text refuses
# line breaks too; multi-line text keeps tab, line feed and carriage return.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_LINE = re.compile(f"[{_CONTROL}{_BIDI}\t\n\r\u2028\u2029]")
_UNSAFE_TEXT = re.compile(f"[{_CONTROL}{_BIDI}]")
UNSAFE_TEXT_MESSAGE = _(
    "This text contains invisible control or text-direction characters (often pasted in "
    "by accident, e.g. U+%(code)s); remove them and type the text again."
)


def _refuse_unsafe(value, pattern) -> None:
    found = pattern.search(value) if isinstance(value, str) else None
    if found is not None:
        raise ValidationError(
            UNSAFE_TEXT_MESSAGE, code="unsafe_text", params={"code": f"{ord(found.group()):04X}"}
        )


def validate_clean_line(value) -> None:
    """One line of text (a name, a title): no control, line-break or bidi characters."""
    _refuse_unsafe(value, _UNSAFE_LINE)


def validate_clean_text(value) -> None:
    """Multi-line text: no control characters but tab and line breaks, no bidi marks."""
    _refuse_unsafe(value, _UNSAFE_TEXT)


def install_clean_text_validators(models) -> None:
    """Every text column of every Kepu model refuses unsafe characters: CharFields as one
    line, TextFields as multi-line text. Installed at start-up (core's `ready`) on the
    fields' validator lists, so that every path that validates through the model — model
    forms, model serializers, `full_clean`/`clean_fields` in the services, the Excel
    imports' `field.clean` — refuses them, without a migration per field."""
    from django.db.models import CharField, TextField

    for model in models:
        for field in model._meta.concrete_fields:
            if isinstance(field, CharField):
                validator = validate_clean_line
            elif isinstance(field, TextField):
                validator = validate_clean_text
            else:
                continue
            if validator not in field.validators:
                field.validators.append(validator)
