from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

EMERGENCY = _("Emergency science")

# Entries are added by each area below once its pages exist.
