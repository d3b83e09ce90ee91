"""The sidebar. Each app adds its entries at start-up (AppConfig.ready), so core never
imports the apps built on it. An entry is shown to users holding its permission.

Sections are identified by their (lazy, translatable) title object itself, compared by
identity: a lazy string's hash and equality follow the active language, so it must not be
a dictionary key."""

from django.utils.translation import gettext_lazy as _

OVERVIEW = _("Overview")
REGISTRIES = _("Registries")
ADMINISTRATION = _("Administration")

_sections: list[tuple[object, list]] = [(OVERVIEW, []), (REGISTRIES, []), (ADMINISTRATION, [])]


def add(section, label, url_name: str, permission: str, icon: str) -> None:
    for title, items in _sections:
        if title is section:
            items.append((label, url_name, permission, icon))
            return
    _sections.append((section, [(label, url_name, permission, icon)]))


# Entries that are never a role's start page (home_view skips them).
NOT_START_PAGES = {"core:job_list"}


def sections():
    """Sections in the order they were added, administration last."""
    ordered = [s for s in _sections if s[0] is not ADMINISTRATION]
    ordered += [s for s in _sections if s[0] is ADMINISTRATION]
    return [(title, items) for title, items in ordered if items]


add(OVERVIEW, _("Dashboard"), "core:dashboard", "core.dashboard.view", "chart-bar")
add(REGISTRIES, _("Organizations"), "core:organization_list", "core.organization.view", "building")
add(ADMINISTRATION, _("Accounts"), "core:user_list", "core.user.view", "users")
add(ADMINISTRATION, _("Audit trail"), "core:audit_list", "core.auditentry.view", "history")
add(OVERVIEW, _("Background jobs"), "core:job_list", "core.job.view", "clock")
add(ADMINISTRATION, _("Schedules"), "core:schedule_list", "core.schedule.view", "calendar-event")
