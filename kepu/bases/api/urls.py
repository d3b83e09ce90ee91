"""The bases app's endpoints under /api/v1/ (one block per area)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- registry ------------------------------------------------------------------------------
from kepu.bases.api import registry as registry_api  # noqa: E402

# api:base-list, api:base-detail
router.register("bases", registry_api.BaseViewSet, basename="base")


# (keep these blank lines: each area edits its own block)


urlpatterns = router.urls
