from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteracyConfig(AppConfig):
    name = "kepu.literacy"
    label = "literacy"
    verbose_name = _("Science-literacy monitoring")

    def ready(self):
        from kepu.literacy import (  # noqa: F401
            audit_labels,
            io_bank,
            jobs,
            navigation,
            scope_rules,
        )
        from kepu.literacy.services import margins  # noqa: F401  (the margins' import spec)
