"""The contests app's pages, one URL module per area (each area owns its own)."""

from kepu.contests.views import urls_officer, urls_results, urls_taking

app_name = "contests"

urlpatterns = [
    *urls_officer.urlpatterns,
    *urls_taking.urlpatterns,
    *urls_results.urlpatterns,
]
