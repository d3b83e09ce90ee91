from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

PLANS = _("Plans and supervision")

nav.add(PLANS, _("Plans"), "plans:plan_list", "plans.plan.view", "clipboard-list")
nav.add(PLANS, _("Targets"), "plans:target_list", "plans.target.view", "chart-pie")
nav.add(
    PLANS,
    _("Progress reports"),
    "plans:report_list",
    "plans.progressreport.view",
    "report-analytics",
)
