from rest_framework.routers import SimpleRouter

from kepu.resources.api import views

router = SimpleRouter()
router.register("resources/reviews", views.ReviewViewSet, basename="resource-review")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("public/resources", views.PublicResourceViewSet, basename="public-resource")

urlpatterns = router.urls
