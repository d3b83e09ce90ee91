"""Domain errors: raised by services with a translatable, user-facing message."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the operation. Views show the message; the API answers 400."""


class StateConflict(DomainError):
    """The row's current state does not allow the step (already reviewed, no longer
    editable). Pages show the message like any domain error; the API answers 409."""
