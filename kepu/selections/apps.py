from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionsConfig(AppConfig):
    name = "kepu.selections"
    label = "selections"
    verbose_name = _("Selections, awards and funded projects")

    def ready(self):
        from kepu.selections import (  # noqa: F401
            audit_labels,
            certificates,
            jobs,
            navigation,
            presets,
            rollups,
            scope_rules,
            workbench_calls,
            workbench_projects,
            workbench_results,
        )
