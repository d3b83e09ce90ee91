from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

nav.add(
    nav.MY_WORK,
    _("My service tasks"),
    "volunteering:my_tasks",
    "volunteering.assignment.checkin",
    "map-pin",
)
nav.add(
    nav.VOLUNTEERING,
    _("Service orders"),
    "volunteering:order_list",
    "volunteering.serviceorder.view",
    "clipboard-list",
)
nav.add(
    nav.VOLUNTEERING,
    _("Service hours"),
    "volunteering:hour_list",
    "volunteering.hourentry.view",
    "clock",
)
nav.add(
    nav.STATISTICS,
    _("Volunteer service bulletin"),
    "volunteering:bulletin",
    "volunteering.bulletin.view",
    "report-analytics",
)
