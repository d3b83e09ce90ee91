"""URLs of the recognition area (see kepu.bases.urls)."""

urlpatterns = []
