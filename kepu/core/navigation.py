"""The sidebar. Each app adds its entries at start-up (AppConfig.ready), so core never
imports the apps built on it. An entry is shown to users holding its permission (None:
every signed-in user).

The sidebar is grouped by task; the sections are defined here, in their order, and the
apps add their entries to them (a section without entries for a user is not shown).
Labels are unique across the sidebar, in every language (a test checks it).

Sections are identified by their (lazy, translatable) title object itself, compared by
identity: a lazy string's hash and equality follow the active language, so it must not be
a dictionary key."""

from django.utils.translation import gettext_lazy as _

MY_WORK = _("My work")
PEOPLE = _("Organizations and people")
VOLUNTEERING = _("Volunteer service")
ACTIVITIES = _("Activities and campaigns")
RESOURCES = _("Resource catalog")
PLANS = _("Plans and supervision")
STATISTICS = _("Statistics and bulletins")
ADMINISTRATION = _("Administration")

_sections: list[tuple[object, list]] = [
    (title, [])
    for title in (
        MY_WORK,
        PEOPLE,
        VOLUNTEERING,
        ACTIVITIES,
        RESOURCES,
        PLANS,
        STATISTICS,
        ADMINISTRATION,
    )
]


def add(section, label, url_name: str, permission: str | None, icon: str) -> None:
    for title, items in _sections:
        if title is section:
            items.append((label, url_name, permission, icon))
            return
    _sections.insert(len(_sections) - 1, (section, [(label, url_name, permission, icon)]))


def sections():
    """Sections in their order, administration last; empty ones left out."""
    return [(title, items) for title, items in _sections if items]


add(MY_WORK, _("Workbench"), "core:home", None, "home")
add(MY_WORK, _("Background jobs"), "core:job_list", "core.job.view", "clock")
add(PEOPLE, _("Organizations"), "core:organization_list", "core.organization.view", "building")
add(ADMINISTRATION, _("Accounts"), "core:user_list", "core.user.view", "users")
add(ADMINISTRATION, _("Audit trail"), "core:audit_list", "core.auditentry.view", "history")
add(ADMINISTRATION, _("Schedules"), "core:schedule_list", "core.schedule.view", "calendar-event")
