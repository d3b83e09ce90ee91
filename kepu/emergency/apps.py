from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "kepu.emergency"
    label = "emergency"
    verbose_name = _("Emergency science communication")

    def ready(self):
        from kepu.emergency import (  # noqa: F401
            audit_labels,
            jobs,
            navigation,
            rollups,
            scope_rules,
            workbench,
        )
