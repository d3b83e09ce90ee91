from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kepu.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from kepu.core import (  # noqa: F401  (registrations)
            exports,
            housekeeping,
            imports,
            mail,
            organizations_io,
            scope_rules,
            signals,
            workbench_core,
        )

        signals.connect_assignment_signals()
        from kepu.core import regiontree

        regiontree.connect_signals()
        from kepu.core import displays

        displays.install()
        from django.apps import apps

        from kepu.core.validators import install_clean_text_validators

        install_clean_text_validators(
            m for m in apps.get_models() if m.__module__.startswith("kepu.")
        )

        _limit_image_pixels()


def _limit_image_pixels():
    """Pillow's own decompression-bomb guard at the same limit as the upload check
    (`uploads.check_image`): any decode of a bigger image, wherever it happens, warns
    above it and raises at twice it instead of allocating."""
    from django.conf import settings
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
