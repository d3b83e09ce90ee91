from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "kepu.resources"
    label = "resources"
    verbose_name = _("Resource catalog")

    def ready(self):
        from kepu.resources import (  # noqa: F401
            audit_labels,
            io,
            navigation,
            rollups,
            scope_rules,
        )
