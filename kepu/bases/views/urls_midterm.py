"""URLs of the midterm area (see kepu.bases.urls)."""

urlpatterns = []
