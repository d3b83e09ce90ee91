from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "kepu.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteer service")

    def ready(self):
        from kepu.volunteering import (  # noqa: F401  (registrations)
            audit_labels,
            bulletins,
            certificates,
            jobs,
            navigation,
            rollups,
            scope_rules,
            workbench,
        )
