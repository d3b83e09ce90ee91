"""Domain errors: raised by services with a translatable, user-facing message."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the operation. Views show the message; the API answers 400."""
