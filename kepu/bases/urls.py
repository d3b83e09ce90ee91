"""The bases app's pages, one URL module per area (each area owns its own)."""

from kepu.bases.views import (
    urls_annual,
    urls_midterm,
    urls_recognition,
    urls_registry,
    urls_subsidy,
)

app_name = "bases"

urlpatterns = [
    *urls_registry.urlpatterns,
    *urls_recognition.urlpatterns,
    *urls_annual.urlpatterns,
    *urls_subsidy.urlpatterns,
    *urls_midterm.urlpatterns,
]
