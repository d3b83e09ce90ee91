from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "bases.base.created": _("Base registered"),
        "bases.base.changed": _("Base details changed"),
        "bases.base.kept": _("Base kept after re-check"),
        "bases.base.warned": _("Base warned"),
        "bases.base.rectification_ordered": _("Base ordered to rectify"),
        "bases.base.revoked": _("Base revoked"),
        "bases.base.expired": _("Bases expired"),
        "bases.base.exported": _("Base registry exported"),
    }
)
