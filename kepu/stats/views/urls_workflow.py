"""Pages of the workflow area (under /stats/)."""

from django.urls import path

from kepu.stats.views import workflow as w
from kepu.stats.views import workflow_oversight as o
from kepu.stats.views import workflow_returns as r

urlpatterns = [
    path("rounds/", w.round_list, name="round_list"),
    path("rounds/new/", w.round_create, name="round_create"),
    path("rounds/<int:pk>/", w.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", w.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", w.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", w.round_close, name="round_close"),
    path("rounds/<int:pk>/assign/", w.round_assign, name="round_assign"),
    path("rounds/<int:pk>/returns/", r.return_list, name="return_list"),
    path("rounds/<int:pk>/returns/accept/", r.return_bulk_accept, name="return_bulk_accept"),
    path("returns/<int:pk>/accept/", r.return_accept, name="return_accept"),
    path("returns/<int:pk>/send-back/", r.return_send_back, name="return_send_back"),
    path("returns/<int:pk>/remove/", w.return_remove, name="return_remove"),
    path("rounds/<int:pk>/approval/", o.approval, name="approval"),
    path("rounds/<int:pk>/approval/<int:region_id>/approve/", o.approval_approve,
         name="approval_approve"),
    path("rounds/<int:pk>/approval/<int:region_id>/send-back/", o.approval_send_back,
         name="approval_send_back"),
    path("rounds/<int:pk>/exceptions/", r.exception_list, name="exception_list"),
    path("rounds/<int:pk>/exceptions/new/", r.exception_grant, name="exception_grant"),
    path("rounds/<int:pk>/completeness/", o.completeness_page, name="completeness"),
    path("rounds/<int:pk>/validation/", o.validation_report, name="validation_report"),
]  # fmt: skip
