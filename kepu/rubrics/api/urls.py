from rest_framework.routers import SimpleRouter

from kepu.rubrics.api import views

router = SimpleRouter()
# api:rubric-list, api:rubric-detail
router.register("rubrics", views.RubricViewSet, basename="rubric")

urlpatterns = router.urls
