from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kepu.core.navigation import sections
from kepu.core.scope import has_permission
from kepu.core.views.dashboard import A11Y_COOKIE, focus_region, switcher_options_html

# The sidebar depends only on the user's roles, the language and the active entry: it is
# rendered once per combination and process (it cost about 1.5 ms of every page).
_sidebars: dict[tuple, str] = {}
_menus: dict[tuple, tuple] = {}


def _menu(user, language) -> tuple:
    key = (tuple(sorted(user.roles())), language)
    menu = _menus.get(key)
    if menu is None:
        navigation = []
        for title, items in sections():
            allowed = [i for i in items if i[2] is None or has_permission(user, i[2])]
            if allowed:
                navigation.append((title, allowed))
        urls = tuple(reverse(item[1]) for _title, items in navigation for item in items)
        menu = _menus[key] = (key, navigation, urls)
    return menu


def sidebar(user, path: str) -> str:
    key, navigation, urls = _menu(user, translation.get_language())
    # The active entry: the one whose address is the longest prefix of this page's.
    matching = [u for u in urls if path.startswith(u)]
    active = max(matching, key=len) if matching else ""
    html = _sidebars.get((key, active))
    if html is None:
        if len(_sidebars) > 2000:
            _sidebars.clear()
        html = _sidebars[(key, active)] = render_to_string(
            "core/partials/_sidebar.html", {"navigation": navigation, "nav_active": active}
        )
    return html


def shell(request):
    """Sidebar entries, the region switcher and the display preferences for base.html."""
    user = getattr(request, "user", None)
    context = {
        "a11y": request.COOKIES.get(A11Y_COOKIE) == "1",
        "kepu_languages": settings.LANGUAGES,
    }
    if user is None or not user.is_authenticated:
        return context
    context["sidebar"] = sidebar(user, request.path)
    if (
        request.resolver_match
        and request.resolver_match.app_name == "core"
        and has_permission(user, "core.dashboard.view")
    ):
        context["focus_region"] = focus = focus_region(request)
        context["switcher_options"] = switcher_options_html(user, focus)
    return context
