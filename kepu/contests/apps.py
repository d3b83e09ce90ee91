from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "kepu.contests"
    label = "contests"
    verbose_name = _("Knowledge contests")

    def ready(self):
        from kepu.contests import (  # noqa: F401
            audit_labels,
            jobs,
            navigation,
            scope_rules,
        )
