"""URLs of the annual area (see kepu.bases.urls)."""

urlpatterns = []
