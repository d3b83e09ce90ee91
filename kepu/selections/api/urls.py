"""The selections app's API endpoints (under the `api` namespace), one block per area."""

urlpatterns = []

# -- calls and entries --
from rest_framework.routers import SimpleRouter  # noqa: E402

from kepu.selections.api import calls as calls_api  # noqa: E402

_calls_router = SimpleRouter()
# api:selection-call-list/detail, api:selection-entry-list/detail
_calls_router.register("selections/calls", calls_api.CallViewSet, basename="selection-call")
_calls_router.register("selections/entries", calls_api.EntryViewSet, basename="selection-entry")
urlpatterns += _calls_router.urls
from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- review --
from kepu.selections.api import review as review_api  # noqa: E402

# api:selection-review-list, api:selection-review-detail, api:selection-review-score
router.register("selection-reviews", review_api.ReviewViewSet, basename="selection-review")


# (keep these blank lines: each area edits its own block)


urlpatterns = router.urls
# -- funded projects --
from rest_framework.routers import SimpleRouter  # noqa: E402

from kepu.selections.api import projects as projects_api  # noqa: E402

_projects = SimpleRouter()
# api:selection-project-list, api:selection-project-detail
_projects.register("selections/projects", projects_api.ProjectViewSet, basename="selection-project")
urlpatterns += _projects.urls
