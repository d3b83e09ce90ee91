"""URLs of the results area."""

urlpatterns = []
