"""Login with a second factor, logout, password change, the user's security settings and
API tokens."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import audit, services
from kepu.core.choices import AuditOutcome
from kepu.core.errors import DomainError
from kepu.core.forms import ApiTokenForm, LoginForm, OtpForm, PasswordChangeForm
from kepu.core.middleware import SESSION_LOGIN_AT
from kepu.core.models import User
from kepu.core.views.common import paginate, run_step

PENDING = "kepu_pending_login"
PENDING_SECONDS = 300


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _complete_login(request, user, device=None):
    next_url = _next_url(request)
    request.session.pop(PENDING, None)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    request.session[SESSION_LOGIN_AT] = time.time()
    return HttpResponseRedirect(next_url)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


@never_cache
@csrf_protect
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("The username or password is incorrect."))
        else:
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            if not has_device and not user.requires_otp:
                return _complete_login(request, user)
            request.session[PENDING] = {"user": user.pk, "at": time.time()}
            step = "core:login_otp" if has_device else "core:login_enroll"
            query = (
                "?" + urlencode({"next": request.POST["next"]}) if request.POST.get("next") else ""
            )
            return redirect(reverse(step) + query)
    return render(
        request,
        "core/auth/login.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "expired": "expired" in request.GET,
        },
    )


@never_cache
@csrf_protect
def login_otp_view(request):
    user = _pending_user(request)
    if user is None:
        return redirect("core:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            return _complete_login(request, user, device)
        audit.record("core.user.otp_failed", obj=user, actor=user, outcome=AuditOutcome.FAILURE)
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "core/auth/login_otp.html", {"form": form, "pending_user": user})


def _enrollment_context(device):
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d273b")
    return {"secret": secret, "qr_svg": qr}


@never_cache
@csrf_protect
def login_enroll_view(request):
    """An administrator without a second factor sets one up before getting in."""
    user = _pending_user(request)
    if user is None:
        return redirect("core:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = services.start_totp_enrollment(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(device, form.cleaned_data["token"], actor=user):
            return _complete_login(request, user, device)
        form.add_error("token", _("The code does not match. Check the time on your phone."))
    return render(
        request,
        "core/auth/login_enroll.html",
        {"form": form, "pending_user": user, **_enrollment_context(device)},
    )


@require_POST
def logout_view(request):
    logout(request)
    response = redirect("core:login")
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@require_safe
@never_cache
@login_required
def session_status_view(request):
    """Whether the session is signed in and how long it stays so without activity.

    The cheapest page behind the whole middleware stack (session, authentication, idle
    timeout, CSP): the benchmark's floor, against which every page is compared."""
    from kepu.core.middleware import SESSION_SEEN_AT

    seen = request.session.get(SESSION_SEEN_AT, time.time())
    left = max(0, settings.SESSION_COOKIE_AGE - int(time.time() - seen))
    return JsonResponse({"authenticated": True, "idle_seconds_left": left})


@never_cache
@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            request.user, actor=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("core:security")
    return render(request, "core/auth/password_change.html", {"form": form})


@never_cache
@login_required
def security_view(request):
    """The user's second factor, and the way to their API tokens."""
    user = request.user
    context = {
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "active_tokens": user.api_tokens.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    form = OtpForm(request.POST if action == "confirm_totp" else None)
    try:
        if action == "start_totp":
            context.update(_enrollment_context(services.start_totp_enrollment(user)))
            context["enrolling"] = True
        elif action == "confirm_totp":
            device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
            if (
                device
                and form.is_valid()
                and services.confirm_totp(device, form.cleaned_data["token"], actor=user)
            ):
                otp_login(request, device)
                messages.success(request, _("Two-factor login is now on."))
                return redirect("core:security")
            form.add_error(None, _("The code does not match. Start again."))
        elif action == "disable_totp":
            services.disable_totp(user, actor=user)
            messages.success(request, _("Two-factor login is now off."))
            return redirect("core:security")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:security")
    context["form"] = form
    return render(request, "core/auth/security.html", context)


@never_cache
@login_required
def apitoken_list(request):
    """The user's own API tokens (working, expired and revoked, with the reason), and a
    new one: its key is shown once, on the page that answers the POST."""
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            request.user, actor=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.order_by("-created_at", "-pk")
    return render(
        request,
        "core/auth/apitoken_list.html",
        {
            "form": form,
            "new_key": new_key,
            "page": paginate(request, tokens),
            "days": settings.API_TOKEN_DAYS,
        },
    )


@require_POST
@login_required
def apitoken_revoke(request, pk):
    get_object_or_404(request.user.api_tokens, pk=pk)  # one's own tokens only
    return run_step(
        request,
        lambda: services.revoke_api_token(request.user, pk, actor=request.user),
        back=reverse("core:apitoken_list"),
        message=_("The token has been revoked."),
    )
