from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from kepu.core.models import ApiToken
from kepu.core.models.accounts import hash_token


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; keys are stored only as SHA-256, expire after
    KEPU_API_TOKEN_DAYS days and are revoked with the password, a lockout or a disabled
    account. A refused token is a 401 that says why and what to do."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                _(
                    "This token was revoked (%(reason)s). Sign in and create a new one on "
                    "your API tokens page."
                )
                % {"reason": token.get_revoked_reason_display()}
            )
        if token.is_expired():
            raise exceptions.AuthenticationFailed(
                _(
                    "This token expired on %(date)s. Sign in and create a new one on your "
                    "API tokens page."
                )
                % {"date": formats.date_format(timezone.localtime(token.expires_at), "Y-m-d")}
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
