from django.conf import settings
from django.urls import reverse

from kepu.core.navigation import sections
from kepu.core.scope import has_permission
from kepu.core.views.dashboard import A11Y_COOKIE, focus_region, switcher_options_html


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
    for title, items in sections():
        allowed = [item for item in items if has_permission(user, item[2])]
        if allowed:
            navigation.append((title, allowed))
    context["navigation"] = navigation
    # The active entry: the one whose address is the longest prefix of this page's.
    urls = [reverse(item[1]) for _title, items in navigation for item in items]
    matching = [u for u in urls if request.path.startswith(u)]
    context["nav_active"] = max(matching, key=len) if matching else ""
    if (
        request.resolver_match
        and request.resolver_match.app_name == "core"
        and has_permission(user, "core.dashboard.view")
    ):
        context["focus_region"] = focus = focus_region(request)
        context["switcher_options"] = switcher_options_html(user, focus)
    return context
