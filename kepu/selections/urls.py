"""The selections app's pages, one URL module per area (each area owns its own)."""

from kepu.selections.views import urls_calls, urls_projects, urls_results, urls_review

app_name = "selections"

urlpatterns = [
    *urls_calls.urlpatterns,
    *urls_review.urlpatterns,
    *urls_results.urlpatterns,
    *urls_projects.urlpatterns,
]
