"""Pages of the output area (under /stats/)."""

from django.urls import path

from kepu.stats.views import output, output_excel, output_open

urlpatterns = [
    path("aggregates/", output.aggregates, name="aggregates"),
    path("rounds/<int:pk>/recompute/", output.recompute, name="aggregates_recompute"),
    path("rounds/<int:pk>/publish/", output.publish, name="round_publish"),
    path("rounds/<int:pk>/template/<str:table>.xlsx", output_excel.table_template,
         name="table_template"),
    path("rounds/<int:pk>/upload/", output_excel.table_upload, name="table_upload"),
    path("rounds/<int:pk>/export/<str:table>.xlsx", output_excel.table_export,
         name="table_export"),
    path("rounds/<int:pk>/export.xlsx", output_excel.dataset_export, name="dataset_export"),
    path("open/", output_open.open_data, name="open_data"),
    path("open/<int:pk>.csv", output_open.open_data_file, name="open_data_file"),
]  # fmt: skip
