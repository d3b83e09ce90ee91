"""The sidebar. Each app adds its entries at start-up (AppConfig.ready), so core never
imports the apps built on it. An entry is shown to users holding its permission."""

from django.utils.translation import gettext_lazy as _

OVERVIEW = _("Overview")
REGISTRIES = _("Registries")
ADMINISTRATION = _("Administration")

_sections: dict = {OVERVIEW: [], REGISTRIES: [], ADMINISTRATION: []}


def add(section, label, url_name: str, permission: str, icon: str) -> None:
    _sections.setdefault(section, []).append((label, url_name, permission, icon))


def sections():
    """Sections in the order they were added, administration last."""
    ordered = [t for t in _sections if t != ADMINISTRATION] + [ADMINISTRATION]
    return [(title, _sections[title]) for title in ordered if _sections[title]]


add(OVERVIEW, _("Dashboard"), "core:dashboard", "core.dashboard.view", "chart-bar")
add(REGISTRIES, _("Organizations"), "core:organization_list", "core.organization.view", "building")
add(ADMINISTRATION, _("Accounts"), "core:user_list", "core.user.view", "users")
add(ADMINISTRATION, _("Audit trail"), "core:audit_list", "core.auditentry.view", "history")
