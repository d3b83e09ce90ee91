from rest_framework.routers import SimpleRouter

from kepu.volunteering.api import views

router = SimpleRouter()
router.register("orders", views.ServiceOrderViewSet, basename="serviceorder")
router.register("public/orders", views.PublicOrderViewSet, basename="public-order")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("hours", views.HourEntryViewSet, basename="hourentry")
router.register("certificates", views.CertificateViewSet, basename="certificate")

urlpatterns = router.urls
