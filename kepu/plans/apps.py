from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kepu.plans"
    label = "plans"
    verbose_name = _("Plans and supervision")

    def ready(self):
        from kepu.plans import (  # noqa: F401
            assessment_jobs,
            assessment_presets,
            assessment_sources,
            audit_labels,
            baselines,
            jobs,
            navigation,
            scope_rules,
            workbench,
        )
