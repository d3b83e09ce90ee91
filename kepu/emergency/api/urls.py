from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- incidents and the expert group ------------------------------------------------------


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries ----------------------------------------------------------------


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals ------------------------------------------------------------------
from kepu.emergency.api import rumors as rumor_views  # noqa: E402

# URL names api:rumor-list, api:rumor-detail
router.register("emergency/rumors", rumor_views.RumorViewSet, basename="rumor")


urlpatterns = router.urls
