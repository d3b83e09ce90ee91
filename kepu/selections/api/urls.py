"""The selections app's API endpoints (under the `api` namespace), one block per area."""

urlpatterns = []
