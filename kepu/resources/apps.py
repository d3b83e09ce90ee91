from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "kepu.resources"
    label = "resources"
    verbose_name = _("Resource catalog")

    def ready(self):
        from kepu.resources import audit_labels, io, navigation, scope_rules  # noqa: F401
