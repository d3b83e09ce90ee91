"""URLs of the registry area (see kepu.bases.urls)."""

urlpatterns = []
