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
urlpatterns += []
