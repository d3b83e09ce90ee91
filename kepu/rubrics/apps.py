from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RubricsConfig(AppConfig):
    name = "kepu.rubrics"
    label = "rubrics"
    verbose_name = _("Scoring rubrics")

    def ready(self):
        from kepu.rubrics import audit_labels, scope_rules  # noqa: F401
