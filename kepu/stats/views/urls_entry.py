"""Pages of the entry area (under /stats/)."""

from django.urls import path

from kepu.stats.views import entry as v
from kepu.stats.views import entry_datasets as d

urlpatterns = [
    path("my/", v.my_returns, name="my_returns"),
    path("returns/<int:pk>/", v.return_form, name="return_form"),
    path("returns/<int:pk>/history/", v.return_detail, name="return_detail"),
    path("returns/<int:pk>/prefill/", v.return_prefill, name="return_prefill"),
    path("returns/prefill/round/<int:pk>/", v.round_prefill, name="round_prefill"),
    path("datasets/", d.dataset_list, name="dataset_list"),
    path("datasets/load/", d.dataset_load, name="dataset_load"),
    path("datasets/<int:pk>/", d.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/rules/new/", d.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", d.rule_edit, name="rule_edit"),
    path("datasets/<int:pk>/indicators/new/", d.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", d.indicator_edit, name="indicator_edit"),
]
