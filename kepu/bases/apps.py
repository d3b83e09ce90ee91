from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "kepu.bases"
    label = "bases"
    verbose_name = _("Science-education bases and venues")

    def ready(self):
        from kepu.bases import (  # noqa: F401
            audit_labels,
            jobs,
            map_marks,
            navigation,
            scope_rules,
            sources,
            workbench,
            workbench_recognition,
            workbench_subsidy,
        )
