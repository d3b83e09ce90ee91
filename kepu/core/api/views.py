from typing import ClassVar

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from kepu.core import services
from kepu.core.api.authentication import TokenAuthentication
from kepu.core.api.base import ScopedViewSet
from kepu.core.api.serializers import OrganizationSerializer, RegionSerializer
from kepu.core.filters import OrganizationFilter, RegionFilter
from kepu.core.models import Organization, Region


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text="TOTP code, if enabled")


class TokenView(APIView):
    """Exchange username and password (and the TOTP code where the account has one) for
    an API token. Failed attempts count towards the account lockout."""

    permission_classes = [AllowAny]
    # An authenticator makes failures 401 with a WWW-Authenticate header (not 403).
    authentication_classes = [TokenAuthentication]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse",
            {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
        ),
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(_("The username or password is incorrect."))
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None or user.requires_otp:
            token = data.validated_data.get("otp", "")
            if device is None or not token or not device.verify_token(token):
                raise AuthenticationFailed(_("A valid two-factor code is required."))
        token, key = services.create_api_token(user, actor=user)
        return Response(
            {"token": key, "expires_at": token.expires_at}, status=status.HTTP_201_CREATED
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and language instead of on every
    request (about a second of work: every serializer of every endpoint, some of them
    narrowing their choices with queries). It is the public schema (SERVE_PUBLIC): the
    same for every caller, and it changes only with the code, which means a new process.
    Another API version or a language the site does not offer is generated as before,
    uncached (no caller-chosen key grows the cache)."""

    _schemas: ClassVar[dict] = {}  # language -> the schema (read-only once made)

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        language = translation.get_language()
        cacheable = (
            version is None
            and self.serve_public
            and not self.custom_settings
            and language in dict(settings.LANGUAGES)
        )
        if not cacheable:
            return super()._get_schema_response(request)
        schema = self._schemas.get(language)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            schema = self._schemas[language] = generator.get_schema(request=request, public=True)
        filename = self._get_filename(request, None)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


class RegionViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Administrative divisions (public reference data). Filter by `level` and `parent`."""

    model = Region
    public = True
    open_actions = ("list", "retrieve")
    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    filterset_class = RegionFilter
    lookup_field = "code"

    def base_queryset(self):
        return Region.objects.select_related("parent")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"])


class OrganizationViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Organizations within the caller's scope. Same filters as the list page."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def base_queryset(self):
        return Organization.objects.with_relations().in_list_order()

    def perform_create(self, serializer):
        serializer.instance = services.create_organization(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_organization(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )
