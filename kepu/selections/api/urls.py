"""The selections app's API endpoints (under the `api` namespace), one block per area."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- review --
from kepu.selections.api import review as review_api  # noqa: E402

# api:selection-review-list, api:selection-review-detail, api:selection-review-score
router.register("selection-reviews", review_api.ReviewViewSet, basename="selection-review")


# (keep these blank lines: each area edits its own block)


urlpatterns = router.urls
