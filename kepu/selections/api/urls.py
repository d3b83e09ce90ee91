"""The selections app's API endpoints (under the `api` namespace)."""

from rest_framework.routers import SimpleRouter

from kepu.selections.api import calls as calls_api
from kepu.selections.api import projects as projects_api
from kepu.selections.api import review as review_api

router = SimpleRouter()
# api:selection-call-list/detail, api:selection-entry-list/detail (POST: nominate)
router.register("selections/calls", calls_api.CallViewSet, basename="selection-call")
router.register("selections/entries", calls_api.EntryViewSet, basename="selection-entry")
# api:selection-review-list, api:selection-review-detail, api:selection-review-score
router.register("selections/reviews", review_api.ReviewViewSet, basename="selection-review")
# api:selection-project-list, api:selection-project-detail
router.register("selections/projects", projects_api.ProjectViewSet, basename="selection-project")

urlpatterns = router.urls
