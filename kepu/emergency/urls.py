from django.urls import path  # noqa: F401

from kepu.emergency.views import group, incidents, public, pushes, report, rumors  # noqa: F401

app_name = "emergency"

urlpatterns = []

# -- incidents and the expert group (back office: /incidents/) ---------------------------
urlpatterns += []


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries (/incidents/<pk>/pushes/, /deliveries/) -----------------------
urlpatterns += []


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals (/rumors/, /rebuttals/, public /emergency/rebuttals/) ---------
urlpatterns += []


# (keep these blank lines: each area edits its own block)


# -- public incident pages, expert answers, review report (/emergency/) -----------------
urlpatterns += [
    path("emergency/", public.public_incident_list, name="public_incident_list"),
    path("emergency/<int:pk>/", public.public_incident_detail, name="public_incident_detail"),
    path("incidents/<int:pk>/answers/new/", report.answer_create, name="answer_create"),
    path("incidents/<int:pk>/review/", report.incident_report, name="incident_report"),
    path("incidents/<int:pk>/review/pdf/", report.incident_report_pdf, name="incident_report_pdf"),
]
