"""Pages of the output area (under /stats/)."""

urlpatterns = []
