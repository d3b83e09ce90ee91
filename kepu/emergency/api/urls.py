from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- incidents and the expert group ------------------------------------------------------
from kepu.emergency.api import incidents as incident_api  # noqa: E402

# api:incident-list, api:incident-detail, api:groupmember-respond
router.register("incidents", incident_api.IncidentViewSet, basename="incident")
router.register("incident-members", incident_api.MemberViewSet, basename="groupmember")


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries ----------------------------------------------------------------
from kepu.emergency.api import pushes as push_api  # noqa: E402

# api:delivery-list, api:delivery-detail, api:delivery-acknowledge
router.register("emergency/deliveries", push_api.DeliveryViewSet, basename="delivery")


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals ------------------------------------------------------------------
from kepu.emergency.api import rumors as rumor_views  # noqa: E402

# URL names api:rumor-list, api:rumor-detail
router.register("emergency/rumors", rumor_views.RumorViewSet, basename="rumor")


urlpatterns = router.urls
