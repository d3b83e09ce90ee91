from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kepu.people"
    label = "people"
    verbose_name = _("Talents, experts and volunteers")

    def ready(self):
        from kepu.people import (  # noqa: F401
            audit_labels,
            io,
            jobs,
            navigation,
            officer_io,
            rollups,
            scope_rules,
            workbench,
        )
