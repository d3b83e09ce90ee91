from rest_framework.routers import SimpleRouter

from kepu.activities.api import views

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("facilities", views.FacilityViewSet, basename="facility")

urlpatterns = router.urls
