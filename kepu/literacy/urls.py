"""The literacy app's pages, one URL module per area (each area owns its own)."""

from kepu.literacy.views import urls_bank, urls_results, urls_rounds

app_name = "literacy"

urlpatterns = [
    *urls_bank.urlpatterns,
    *urls_rounds.urlpatterns,
    *urls_results.urlpatterns,
]
