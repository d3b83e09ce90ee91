"""Pages of the entry area (under /stats/)."""

urlpatterns = []
