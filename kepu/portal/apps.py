from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kepu.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from kepu.portal import audit_labels, navigation, scope_rules  # noqa: F401
