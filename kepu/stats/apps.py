from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kepu.stats"
    label = "stats"
    verbose_name = _("Science-popularization statistics survey")

    def ready(self):
        from kepu.stats import (  # noqa: F401
            audit_labels,
            jobs,
            navigation,
            scope_rules,
            workbench,
        )
