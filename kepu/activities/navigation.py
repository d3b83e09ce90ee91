from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

ACTIVITIES = _("Activities and campaigns")

nav.add(
    ACTIVITIES,
    _("Activities"),
    "activities:activity_list",
    "activities.activity.view",
    "calendar-event",
)
nav.add(
    ACTIVITIES,
    _("Review queue"),
    "activities:review_queue",
    "activities.activity.review",
    "checklist",
)
nav.add(ACTIVITIES, _("Campaigns"), "activities:campaign_list", "activities.campaign.view", "flag")
nav.add(
    ACTIVITIES,
    _("Mobile exhibitions"),
    "activities:facility_list",
    "activities.mobilefacility.view",
    "truck",
)
nav.add(
    ACTIVITIES,
    _("Activity statistics"),
    "activities:stats",
    "activities.dashboard.view",
    "chart-bar",
)
