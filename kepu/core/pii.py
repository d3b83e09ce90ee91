"""Personal identifiers: validation (GB 11643 resident ID, mainland mobile numbers),
facts derived from an ID number, and the masks used in every list, page, API response
and export (GB/T 35273 §7.2 display restriction)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_text(value: str) -> str:
    """NFKC: full-width digits and letters (１３８, Ｘ, typed with a Chinese input
    method) become their ASCII forms, the ideographic space a space."""
    return unicodedata.normalize("NFKC", value or "")


def normalize_id(value: str) -> str:
    """The document number as stored and hashed: NFKC, no whitespace, upper case."""
    return "".join(normalize_text(value).split()).upper()


def id_check_char(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: str) -> None:
    """18-character resident ID number: digits, a valid birth date, MOD 11-2 check."""
    number = normalize_id(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="id_format"
        )
    if not is_known_area(number[:6]):
        raise ValidationError(
            _(
                "The first six digits of this ID number (%(code)s) are not the code of a "
                "region of China; please check the number."
            ),
            code="id_region",
            params={"code": number[:6]},
        )
    if birth_date_from_id(number) is None:
        raise ValidationError(_("The birth date in this ID number is not valid."), code="id_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check the number."),
            code="id_check",
        )


# Residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证) carry
# these area codes; the region table holds only the mainland.
PERMIT_AREAS = ("810000", "820000", "830000")


def is_known_area(code: str) -> bool:
    """Whether an ID number's area code (its first six digits) can be real: its province
    (first two digits) is in the region table, or it is a residence permit's code.

    Only the province is required, not the whole code: an ID number keeps the county
    code it was issued under for life, and thousands of county codes were retired by
    mergers and renamings since 1980 (GB/T 2260 history) that the current region table no
    longer holds. Province codes have been stable (the newest, 46 and 50, are themselves
    in the table), and a county part of 0000 is never a person's (only the permits)."""
    if code in PERMIT_AREAS:
        return True
    if len(code) != 6 or not code.isdigit() or code[2:] == "0000":
        return False
    return code[:2] in _province_codes()


def _province_codes() -> frozenset[str]:
    """The two-digit codes of the region table's provinces, read once per process (the
    table changes only with a release of the region data)."""
    global _PROVINCES
    if _PROVINCES is None:
        from kepu.core.models import Region

        codes = frozenset(Region.objects.filter(level=1).values_list("code", flat=True))
        if not codes:  # not loaded yet (no person can be registered without regions)
            return codes
        _PROVINCES = codes
    return _PROVINCES


_PROVINCES: frozenset[str] | None = None


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
    """NFKC (full-width digits), without spaces and hyphens, without +86."""
    digits = re.sub(r"[\s-]", "", normalize_text(value))
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
