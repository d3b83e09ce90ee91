"""URLs of the subsidy area (see kepu.bases.urls)."""

urlpatterns = []
