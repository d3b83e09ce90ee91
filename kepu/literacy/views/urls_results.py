"""The results area's pages (this area owns this module): a round's report, estimation
and publication, the trend, the 科普指数, and the public pages under /science-literacy/."""

from django.urls import path

from kepu.literacy.views import public as p
from kepu.literacy.views import results as v

urlpatterns = [
    path("literacy/results/", v.result_list, name="result_list"),
    path("literacy/rounds/<int:pk>/report/", v.round_report, name="round_report"),
    path("literacy/rounds/<int:pk>/report.pdf", v.round_report_pdf, name="round_report_pdf"),
    path("literacy/rounds/<int:pk>/estimate/", v.round_estimate, name="round_estimate"),
    path("literacy/rounds/<int:pk>/publish/", v.round_publish, name="round_publish"),
    path("literacy/trend/", v.trend, name="trend"),
    path("literacy/index/", v.index_list, name="index_list"),
    path("literacy/index/new/", v.index_create, name="index_create"),
    path("literacy/index/<int:pk>/", v.index_detail, name="index_detail"),
    path("literacy/index/<int:pk>/compute/", v.index_compute, name="index_compute"),
    path("literacy/index/<int:pk>/publish/", v.index_publish, name="index_publish"),
    path("science-literacy/", p.public_results, name="public_results"),
    path("science-literacy/<int:pk>/", p.public_report, name="public_report"),
    path("science-literacy/index/<int:pk>/", p.public_index, name="public_index"),
]
