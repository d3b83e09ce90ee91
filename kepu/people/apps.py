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

        # Talent evaluation and the high-level talent service (seeds 000 (五)(六)): scope
        # rules, rubric sources, workbench items, and the registries' evidence providers.
        from kepu.people.talents import evidence
        from kepu.people.talents import scope_rules as talent_scope_rules  # noqa: F401
        from kepu.people.talents import sources as talent_sources  # noqa: F401
        from kepu.people.talents import workbench as talent_workbench  # noqa: F401

        evidence.discover()
