"""The contests app's API endpoints (under the `api` namespace): each area lists its
routes in its own module (ROUTES for viewsets, EXTRA for plain paths)."""

from rest_framework.routers import SimpleRouter

from kepu.contests.api import routes_officer, routes_results, routes_taking

router = SimpleRouter()
for prefix, viewset, basename in (
    *routes_officer.ROUTES,
    *routes_taking.ROUTES,
    *routes_results.ROUTES,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *router.urls,
    *routes_officer.EXTRA,
    *routes_taking.EXTRA,
    *routes_results.EXTRA,
]
