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
        # mid-term evaluation of demonstration areas
        "bases.demonstrationarea.created": _("Demonstration area registered"),
        "bases.midtermevaluation.created": _("Mid-term evaluation opened"),
        "bases.demonstrationarea.exported": _("Demonstration areas exported"),
        "bases.demonstrationarea.named": _("Demonstration area named"),
        "bases.demonstrationarea.not_named": _("Demonstration area not named"),
        "bases.midtermentry.self_assessed": _("Mid-term self-assessment saved"),
        "bases.midtermentry.scored": _("Mid-term score sheet submitted"),
        "bases.midtermevaluation.published": _("Mid-term evaluation results published"),
        "bases.midtermevaluation.exported": _("Mid-term evaluation results exported"),
        # subsidies and census
        "bases.subsidyround.created": _("Subsidy round created"),
        "bases.subsidyround.changed": _("Subsidy round changed"),
        "bases.subsidyround.submitted": _("Subsidy allocation submitted"),
        "bases.subsidyround.approved": _("Subsidy allocation approved"),
        "bases.subsidyround.returned": _("Subsidy allocation returned"),
        "bases.subsidyround.published": _("Subsidy allocation published"),
        "bases.subsidyround.adjusted": _("Subsidy allocation adjusted"),
        "bases.subsidyround.exported": _("Subsidy rounds exported"),
        "bases.subsidyline.exported": _("Subsidy allocation exported"),
        "bases.censusround.created": _("Census round opened"),
        "bases.censusround.closed": _("Census round closed"),
        "bases.censusreturn.saved": _("Census return saved"),
        "bases.censusreturn.submitted": _("Census return submitted"),
        "bases.censusreturn.accepted": _("Census return accepted"),
        "bases.censusreturn.reopened": _("Census return sent back"),
        "bases.censusreturn.exported": _("Census returns exported"),
    }
)
