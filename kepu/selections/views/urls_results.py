"""Pages of the results area of the selections app."""

urlpatterns = []
