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
    }
)

# -- annual reports and evaluation --
ACTION_LABELS.update(
    {
        "bases.reportwindow.set": _("Annual report deadline set"),
        "bases.annualreport.created": _("Annual self-report started"),
        "bases.annualreport.changed": _("Annual self-report changed"),
        "bases.annualreport.submitted": _("Annual self-report submitted"),
        "bases.annualreport.resubmitted": _("Annual self-report resubmitted"),
        "bases.annualreport.returned": _("Annual self-report returned for correction"),
        "bases.annualreport.accepted": _("Annual self-report accepted"),
        "bases.annualreport.exported": _("Annual self-reports exported"),
        "bases.reportevidence.downloaded": _("Annual self-report evidence downloaded"),
        "bases.spotcheck.created": _("Spot check planned"),
        "bases.spotcheck.drawn": _("Spot-check sample drawn"),
        "bases.spotcheck.recorded": _("Spot check recorded"),
        "bases.evaluationround.created": _("Evaluation round opened"),
        "bases.evaluationround.computed": _("Evaluation round computed"),
        "bases.evaluationround.published": _("Evaluation results published"),
        "bases.annualevaluation.scored": _("Manual evaluation points given"),
        "bases.annualevaluation.exported": _("Evaluation results exported"),
        "bases.rectification.created": _("Rectification ordered"),
        "bases.rectification.reported": _("Rectification reported"),
        "bases.rectification.decided": _("Rectification re-checked"),
    }
)
