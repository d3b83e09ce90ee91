from django.conf import settings

# The sidebar: (section title, [(label, url name, permission)]). Later modules add theirs.
from django.utils.translation import gettext_lazy as _

from kepu.core.scope import has_permission
from kepu.core.views.dashboard import A11Y_COOKIE, focus_region, scope_switcher_options

NAVIGATION = [
    (
        _("Overview"),
        [(_("Dashboard"), "core:dashboard", "core.dashboard.view", "chart-bar")],
    ),
    (
        _("Registries"),
        [(_("Organizations"), "core:organization_list", "core.organization.view", "building")],
    ),
    (
        _("Administration"),
        [
            (_("Accounts"), "core:user_list", "core.user.view", "users"),
            (_("Audit trail"), "core:audit_list", "core.auditentry.view", "history"),
        ],
    ),
]


def shell(request):
    """Sidebar entries, the region switcher and the display preferences for base.html."""
    user = getattr(request, "user", None)
    context = {
        "a11y": request.COOKIES.get(A11Y_COOKIE) == "1",
        "kepu_languages": settings.LANGUAGES,
    }
    if user is None or not user.is_authenticated:
        return context
    navigation = []
    for title, items in NAVIGATION:
        allowed = [item for item in items if has_permission(user, item[2])]
        if allowed:
            navigation.append((title, allowed))
    context["navigation"] = navigation
    if (
        request.resolver_match
        and request.resolver_match.app_name == "core"
        and has_permission(user, "core.dashboard.view")
    ):
        context["switcher_regions"] = scope_switcher_options(user)
        context["focus_region"] = focus_region(request)
    return context
