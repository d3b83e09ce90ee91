"""Pages of the projects area of the selections app."""

urlpatterns = []
