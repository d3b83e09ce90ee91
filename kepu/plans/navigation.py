from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

nav.add(nav.PLANS, _("Plans"), "plans:plan_list", "plans.plan.view", "clipboard-list")
nav.add(nav.PLANS, _("Targets"), "plans:target_list", "plans.target.view", "chart-pie")
nav.add(
    nav.PLANS,
    _("Progress reports"),
    "plans:report_list",
    "plans.progressreport.view",
    "report-analytics",
)
nav.add(
    nav.PLANS,
    _("Joint conferences"),
    "plans:conference_list",
    "plans.jointconference.view",
    "building",
)
nav.add(
    nav.PLANS,
    _("Conference meetings"),
    "plans:meeting_list",
    "plans.meeting.view",
    "calendar-event",
)
nav.add(
    nav.PLANS,
    _("Assessments"),
    "plans:assessment_list",
    "plans.assessmentround.view",
    "checklist",
)
