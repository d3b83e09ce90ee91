"""URLs of the officer area."""

urlpatterns = []
