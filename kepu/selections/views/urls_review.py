"""Pages of the review area of the selections app."""

urlpatterns = []
