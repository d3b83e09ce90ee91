"""URLs of the annual area (see kepu.bases.urls)."""

from django.urls import path

from kepu.bases.views import annual_checks as checks
from kepu.bases.views import annual_reports as reports
from kepu.bases.views import annual_rounds as rounds

urlpatterns = [
    path("bases/reports/", reports.report_list, name="report_list"),
    path("bases/reports/export/", reports.report_export, name="report_export"),
    path("bases/reports/deadline/", reports.report_window, name="report_window"),
    path("bases/reports/start/<int:base>/", reports.report_start, name="report_start"),
    path("bases/reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("bases/reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path(
        "bases/reports/<int:pk>/evidence/<int:item>/",
        reports.report_evidence,
        name="report_evidence",
    ),
    path("bases/reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("bases/reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("bases/reports/<int:pk>/accept/", reports.report_accept, name="report_accept"),
    path("bases/spot-checks/", checks.spotcheck_list, name="spotcheck_list"),
    path("bases/spot-checks/draw/", checks.spotcheck_draw, name="spotcheck_draw"),
    path("bases/spot-checks/<int:pk>/record/", checks.spotcheck_record, name="spotcheck_record"),
    path("bases/evaluations/", rounds.round_list, name="evaluationround_list"),
    path("bases/evaluations/new/", rounds.round_create, name="evaluationround_create"),
    path("bases/evaluations/<int:pk>/", rounds.round_detail, name="evaluationround_detail"),
    path(
        "bases/evaluations/<int:pk>/compute/", rounds.round_compute, name="evaluationround_compute"
    ),
    path(
        "bases/evaluations/<int:pk>/publish/", rounds.round_publish, name="evaluationround_publish"
    ),
    path("bases/evaluations/<int:pk>/export/", rounds.round_export, name="evaluationround_export"),
    path("bases/evaluations/results/<int:pk>/", rounds.evaluation_score, name="evaluation_score"),
    path("bases/evaluations/<int:pk>/public/", rounds.public_results, name="public_results"),
    path("bases/management/<int:pk>/warn/", checks.base_warn, name="base_warn"),
    path(
        "bases/management/<int:pk>/rectify/", checks.rectification_order, name="rectification_order"
    ),
    path("bases/rectifications/", checks.rectification_list, name="rectification_list"),
    path(
        "bases/rectifications/<int:pk>/", checks.rectification_detail, name="rectification_detail"
    ),
    path(
        "bases/rectifications/<int:pk>/report/",
        checks.rectification_report,
        name="rectification_report",
    ),
    path(
        "bases/rectifications/<int:pk>/decide/",
        checks.rectification_decide,
        name="rectification_decide",
    ),
]
