"""The literacy app's API endpoints (under the `api` namespace): each area lists its
routes in its own module."""

from rest_framework.routers import SimpleRouter

from kepu.literacy.api import routes_bank, routes_results, routes_rounds

router = SimpleRouter()
for prefix, viewset, basename in (
    *routes_bank.ROUTES,
    *routes_rounds.ROUTES,
    *routes_results.ROUTES,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
