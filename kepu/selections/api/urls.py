"""The selections app's API endpoints (under the `api` namespace), one block per area."""

urlpatterns = []

# -- funded projects --
from rest_framework.routers import SimpleRouter  # noqa: E402

from kepu.selections.api import projects as projects_api  # noqa: E402

_projects = SimpleRouter()
# api:selection-project-list, api:selection-project-detail
_projects.register("selections/projects", projects_api.ProjectViewSet, basename="selection-project")
urlpatterns += _projects.urls
