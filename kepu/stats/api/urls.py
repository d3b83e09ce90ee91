"""The statistics survey's API endpoints (under the `api` namespace): each area lists its
routes in its own module (ROUTES for viewsets, EXTRA for plain paths)."""

from rest_framework.routers import SimpleRouter

from kepu.stats.api import routes_entry, routes_output, routes_workflow

router = SimpleRouter()
for prefix, viewset, basename in (
    *routes_entry.ROUTES,
    *routes_workflow.ROUTES,
    *routes_output.ROUTES,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *router.urls,
    *routes_entry.EXTRA,
    *routes_workflow.EXTRA,
    *routes_output.EXTRA,
]
