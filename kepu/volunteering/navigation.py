from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

VOLUNTEERING = _("Volunteer service")

nav.add(
    VOLUNTEERING,
    _("Service orders"),
    "volunteering:order_list",
    "volunteering.serviceorder.view",
    "clipboard-list",
)
nav.add(
    VOLUNTEERING,
    _("My service tasks"),
    "volunteering:my_tasks",
    "volunteering.assignment.checkin",
    "map-pin",
)
nav.add(
    VOLUNTEERING,
    _("Service hours"),
    "volunteering:hour_list",
    "volunteering.hourentry.view",
    "clock",
)
nav.add(
    VOLUNTEERING,
    _("Volunteer service bulletin"),
    "volunteering:bulletin",
    "volunteering.bulletin.view",
    "report-analytics",
)
