from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

nav.add(
    nav.ACTIVITIES,
    _("Activities"),
    "activities:activity_list",
    "activities.activity.view",
    "calendar-event",
)
nav.add(
    nav.ACTIVITIES,
    _("Activity review"),
    "activities:review_queue",
    "activities.activity.review",
    "checklist",
)
nav.add(
    nav.ACTIVITIES, _("Campaigns"), "activities:campaign_list", "activities.campaign.view", "flag"
)
nav.add(
    nav.ACTIVITIES,
    _("Mobile exhibitions"),
    "activities:facility_list",
    "activities.mobilefacility.view",
    "truck",
)
nav.add(
    nav.STATISTICS,
    _("Activity statistics"),
    "activities:stats",
    "activities.dashboard.view",
    "chart-bar",
)
