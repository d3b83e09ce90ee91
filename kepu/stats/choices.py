"""Constants of the statistics survey (科普统计)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ValueType(models.TextChoices):
    INTEGER = "int", _("Whole number")
    DECIMAL = "dec", _("Number with decimals")


class Importance(models.TextChoices):
    """An error blocks submission; a warning asks for an explanation (DHIS2's
    validation-rule importance)."""

    ERROR = "error", _("Error (blocks submission)")
    WARNING = "warning", _("Warning (needs an explanation)")


class Operator(models.TextChoices):
    EQ = "==", "="
    NE = "!=", "≠"
    LT = "<", "<"
    LE = "<=", "≤"
    GT = ">", ">"
    GE = ">=", "≥"


class RuleKind(models.TextChoices):
    COMPARE = "compare", _("Comparison of two expressions")
    CHANGE = "change", _("Change from last year")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("statistics", "Being prepared")
    OPEN = "open", pgettext_lazy("statistics", "Open for filing")
    CLOSED = "closed", pgettext_lazy("statistics", "Closed")
    PUBLISHED = "published", pgettext_lazy("statistics", "Results published")


class ReturnStatus(models.TextChoices):
    """A unit's return: filled (draft), submitted to the county, returned with a reason
    (it reopens), or accepted by the county (its values then count in the aggregates)."""

    NOT_STARTED = "new", pgettext_lazy("statistics", "Not started")
    DRAFT = "draft", pgettext_lazy("statistics", "Being filled")
    SUBMITTED = "submitted", pgettext_lazy("statistics", "Submitted")
    RETURNED = "returned", pgettext_lazy("statistics", "Returned for correction")
    ACCEPTED = "accepted", pgettext_lazy("statistics", "Accepted")


EDITABLE_RETURN = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.RETURNED)


class ApprovalStatus(models.TextChoices):
    """A region's aggregate, approved up the tree: a county approves once every unit it
    is responsible for is accepted; a city once every county below it approved; the
    province once every city did. The level above may return an approval (it reopens)."""

    PENDING = "pending", pgettext_lazy("statistics", "Not approved")
    APPROVED = "approved", pgettext_lazy("statistics", "Approved")
    RETURNED = "returned", pgettext_lazy("statistics", "Returned by the level above")


class ValueSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    REGISTRY = "registry", _("From the registry")
    OVERRIDDEN = "overridden", _("Registry value overridden")
    IMPORTED = "imported", _("Imported from Excel")
    API = "api", _("Sent through the API")


class EventAction(models.TextChoices):
    SAVE = "save", pgettext_lazy("statistics", "Saved")
    SUBMIT = "submit", pgettext_lazy("statistics", "Submitted")
    RETURN = "return", pgettext_lazy("statistics", "Returned")
    ACCEPT = "accept", pgettext_lazy("statistics", "Accepted")
    REOPEN = "reopen", pgettext_lazy("statistics", "Reopened")
    IMPORT = "import", pgettext_lazy("statistics", "Imported")


class DeptCategory(models.TextChoices):
    """主管部门类别代码 of a return (domain-wave2 §6: 01 科技 … 30 其他). Only the codes
    the sources name are listed (01, 02, 03, 30); the others of the official list were
    not found, so those units file under 其他 until the list is added here."""

    SCIENCE = "01", _("Science and technology")
    ASSOCIATION = "02", _("Science and technology association")
    EDUCATION = "03", _("Education")
    OTHER = "30", _("Other")
