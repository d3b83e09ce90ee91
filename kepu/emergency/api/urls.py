from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- incidents and the expert group ------------------------------------------------------
from kepu.emergency.api import incidents as incident_api  # noqa: E402

# api:incident-list, api:incident-detail, api:groupmember-respond
router.register("incidents", incident_api.IncidentViewSet, basename="incident")
router.register("incident-members", incident_api.MemberViewSet, basename="groupmember")


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries ----------------------------------------------------------------


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals ------------------------------------------------------------------


urlpatterns = router.urls
