import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kepu.core import request_context

LANGUAGE_COOKIE = "django_language"


class LanguageMiddleware:
    """zh-hans unless the user chose another language (cookie set by the switcher).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language for pages,
    because officers on English-language systems must still get the Chinese UI by default;
    the API honours Accept-Language so clients can ask for English messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(LANGUAGE_COOKIE)
        if request.path.startswith("/api/") and not language:
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestContextMiddleware:
    """Give every request an id and a trusted client IP, and expose both (and the user)
    to the audit trail through a context variable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_context.new_request_id()
        request.client_ip = request_context.client_ip(request)
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request.id, ip=request.client_ip, user=getattr(request, "user", None)
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.id
        return response


SESSION_LOGIN_AT = "kepu_login_at"


class SessionLifetimeMiddleware:
    """Enforce what the session framework does not: an absolute session lifetime, the
    second factor for administrator roles, and a forced password change."""

    EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            started = request.session.get(SESSION_LOGIN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('core:login')}?expired=1")
            if user.requires_otp and not user.is_verified():
                logout(request)
                return redirect(reverse("core:login"))
            if user.must_change_password and not request.path.startswith(self.EXEMPT_PREFIXES):
                from django.contrib import messages

                messages.warning(request, _("Please set a new password before you continue."))
                return redirect("core:password_change")
        return self.get_response(request)


SESSION_SEEN_AT = "kepu_seen_at"


class SessionTouchMiddleware:
    """The sliding idle timeout at one session write a minute instead of one per request.

    Django renews a session's expiry only when it is saved. Saving on every request cost
    a database write per page; here an authenticated session is marked changed (and so
    saved, renewing its expiry) when it was last renewed more than
    SESSION_TOUCH_SECONDS ago. The idle limit therefore holds to within that interval."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            seen = session.get(SESSION_SEEN_AT)
            if seen is None or now - seen >= self.interval:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)
