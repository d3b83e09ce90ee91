"""Pages of the calls area of the selections app."""

urlpatterns = []
