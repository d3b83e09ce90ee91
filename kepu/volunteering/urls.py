from django.urls import path

from kepu.volunteering.views import bulletin as b
from kepu.volunteering.views import hours as h
from kepu.volunteering.views import orders as o
from kepu.volunteering.views import public as p

app_name = "volunteering"

urlpatterns = [
    # Public: ordering (点单), following and rating an order, certificate verification.
    path("service/", p.order_new, name="order_new"),
    path("service/orders/<uuid:token>/", p.order_track, name="order_track"),
    path("service/orders/<uuid:token>/rate/", p.order_rate, name="order_rate"),
    path("service/orders/<uuid:token>/cancel/", p.order_cancel, name="order_cancel"),
    path("service/verify/", h.verify, name="verify"),
    path("service/verify/<str:number>/", h.verify_number, name="verify_number"),
    # Back office: orders through dispatch, claim, acceptance and service.
    path("volunteering/orders/", o.order_list, name="order_list"),
    path("volunteering/orders/export.xlsx", o.order_export, name="order_export"),
    path("volunteering/orders/<int:pk>/", o.order_detail, name="order_detail"),
    path("volunteering/orders/<int:pk>/<str:step>/", o.order_step, name="order_step"),
    path("volunteering/tasks/", o.my_tasks, name="my_tasks"),
    path("volunteering/tasks/<int:pk>/<str:step>/", o.task_check, name="task_check"),
    # The hour ledger and certificates.
    path("volunteering/hours/", h.hour_list, name="hour_list"),
    path("volunteering/hours/export.xlsx", h.hour_export, name="hour_export"),
    path("volunteering/hours/new/", h.hour_create, name="hour_create"),
    path("volunteering/hours/teams/", h.team_search, name="team_search"),
    path("volunteering/hours/<int:pk>/decide/", h.hour_decide, name="hour_decide"),
    path("volunteering/volunteers/<int:pk>/", h.person_hours, name="person_hours"),
    path(
        "volunteering/volunteers/<int:pk>/certificates/",
        h.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "volunteering/teams/<int:pk>/certificates/",
        h.certificate_batch,
        name="certificate_batch",
    ),
    path("volunteering/certificates/<int:pk>.pdf", h.certificate_pdf, name="certificate_pdf"),
    path(
        "volunteering/certificates/<int:pk>/revoke/",
        h.certificate_revoke,
        name="certificate_revoke",
    ),
    # Bulletins (通报).
    path("volunteering/bulletin/", b.bulletin, name="bulletin"),
    path("volunteering/bulletin.xlsx", b.bulletin_xlsx, name="bulletin_xlsx"),
    path("volunteering/bulletin.pdf", b.bulletin_pdf, name="bulletin_pdf"),
    path("volunteering/bulletin/batch/", b.bulletin_batch, name="bulletin_batch"),
]
