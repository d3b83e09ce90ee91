from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionsConfig(AppConfig):
    name = "kepu.selections"
    label = "selections"
    verbose_name = _("Selections, awards and funded projects")

    def ready(self):
        from kepu.selections import audit_labels, jobs, navigation, presets, scope_rules  # noqa: F401
