from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "kepu.resources"
    label = "resources"
    verbose_name = _("Resource catalog")

    def ready(self):
        from kepu.core.services import organization_renamed
        from kepu.resources import (  # noqa: F401
            audit_labels,
            io,
            jobs,
            navigation,
            rollups,
            scope_rules,
            workbench,
        )
        from kepu.resources.services.content import owner_renamed

        organization_renamed.connect(owner_renamed, dispatch_uid="resources-owner-renamed")
