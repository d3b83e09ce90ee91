"""Pages of the workflow area (under /stats/)."""

urlpatterns = []
