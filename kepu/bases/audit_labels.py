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
        # recognition rounds
        "bases.recognitionround.created": _("Recognition round created"),
        "bases.recognitionround.changed": _("Recognition round changed"),
        "bases.recognitionround.advanced": _("Recognition round moved on"),
        "bases.recognitionround.panel_drawn": _("Expert panel drawn"),
        "bases.recognitionround.publicized": _("Candidates put on public notice"),
        "bases.recognitionround.named": _("Bases named"),
        "bases.application.created": _("Recognition application submitted"),
        "bases.application.withdrawn": _("Recognition application withdrawn"),
        "bases.application.lapsed": _("Applications left without a recommendation"),
        "bases.application.recommended": _("Application recommended"),
        "bases.application.declined": _("Application not recommended"),
        "bases.application.checked": _("Formal check recorded"),
        "bases.application.scored": _("Application scored by the panel"),
        "bases.application.named": _("Application named a base"),
        "bases.application.exported": _("Recognition applications exported"),
        "bases.applicationmaterial.downloaded": _("Application material downloaded"),
        "bases.scoresheet.submitted": _("Score sheet submitted"),
        "bases.scoresheet.conflict_declared": _("Conflict of interest declared"),
        "bases.objection.created": _("Objection filed"),
        "bases.objection.answered": _("Objection answered"),
        "bases.base.certificate_downloaded": _("Base certificate downloaded"),
    }
)
