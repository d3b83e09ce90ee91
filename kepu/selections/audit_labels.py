from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- calls and entries --
ACTION_LABELS.update({})

# -- review --
ACTION_LABELS.update({})

# -- 公示 and results --
ACTION_LABELS.update(
    {
        "selections.call.publicized": _("Call candidates put on public notice"),
        "selections.call.decided": _("Call results decided"),
        "selections.entry.awarded": _("Entry awarded"),
        "selections.objection.created": _("Objection to a call candidate filed"),
        "selections.objection.answered": _("Objection to a call candidate answered"),
        "selections.entry.certificate_downloaded": _("Award certificate downloaded"),
        "selections.call.certificates_exported": _("Award certificates of a call exported"),
    }
)

# -- funded projects --
ACTION_LABELS.update({})

_unused = _  # the areas' labels use it
