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
            navigation,
            rollups,
            scope_rules,
            workbench,
        )
        from kepu.people.talents import evidence, scope_rules, sources, workbench  # noqa: F401, F811

        evidence.discover()
