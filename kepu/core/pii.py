"""Personal identifiers: validation (GB 11643 resident ID, mainland mobile numbers),
facts derived from an ID number, and the masks used in every list, page, API response
and export (GB/T 35273 §7.2 display restriction)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_id(value: str) -> str:
    return "".join((value or "").split()).upper()


def id_check_char(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: str) -> None:
    """18-character resident ID number: digits, a valid birth date, MOD 11-2 check."""
    number = normalize_id(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="id_format"
        )
    if birth_date_from_id(number) is None:
        raise ValidationError(_("The birth date in this ID number is not valid."), code="id_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check the number."),
            code="id_check",
        )


def birth_date_from_id(number: str) -> datetime.date | None:
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if datetime.date(1900, 1, 1) <= born <= datetime.date.today() else None


def gender_from_id(number: str) -> str:
    """ "M" or "F" from the 17th digit (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits[3:] if digits.startswith("+86") else digits


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(normalize_phone(value)):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, e.g. 138 0000 0000."), code="phone"
        )


def mask_phone(value: str) -> str:
    """138****1234"""
    value = normalize_phone(value)
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id(value: str) -> str:
    """5101**********1234 (region prefix and last four only)."""
    value = normalize_id(value)
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
