"""Password rules of the MLPS level-3 preset (GB/T 22239-2019 8.1.4.1 a)."""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() or not c.isascii() for c in password),
    ]
    return sum(classes)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its refusal in the project's catalog: Django 5.2 changed that
    message's msgid and its own Chinese catalog has no translation for it (the user saw
    an English sentence on a Chinese page)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}


class CharacterClassValidator:
    """At least `min_classes` of: lowercase, uppercase, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return _(
            "Your password must contain at least %(n)d of these four kinds of characters: "
            "lowercase letters, uppercase letters, digits, symbols."
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Not one of the user's last `history` passwords."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        recent = [user.password] if user.password else []
        recent += list(user.password_history.values_list("password", flat=True)[: self.history - 1])
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return ngettext(
            "Your password cannot be the same as your last password.",
            "Your password cannot be the same as any of your last %(n)d passwords.",
            self.history,
        ) % {"n": self.history}
