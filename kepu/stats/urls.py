"""The statistics survey's pages, one URL module per area (each area owns its own)."""

from kepu.stats.views import urls_entry, urls_output, urls_workflow

app_name = "stats"

urlpatterns = [
    *urls_entry.urlpatterns,
    *urls_workflow.urlpatterns,
    *urls_output.urlpatterns,
]
