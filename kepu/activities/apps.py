from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "kepu.activities"
    label = "activities"
    verbose_name = _("Activities and campaigns")

    def ready(self):
        from kepu.activities import (  # noqa: F401
            audit_labels,
            jobs,
            navigation,
            rollups,
            scope_rules,
            workbench,
        )
