from django.urls import path  # noqa: F401

from kepu.emergency.views import group, incidents, public, pushes, report, rumors  # noqa: F401

app_name = "emergency"

urlpatterns = []

# -- incidents and the expert group (back office: /incidents/) ---------------------------
urlpatterns += []


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries (/incidents/<pk>/pushes/, /deliveries/) -----------------------
urlpatterns += [
    path("incidents/<int:pk>/pushes/", pushes.incident_pushes, name="incident_pushes"),
    path("incidents/<int:pk>/pushes/new/", pushes.push_create, name="push_create"),
    path("pushes/<int:pk>/", pushes.push_detail, name="push_detail"),
    path("pushes/<int:pk>/deliveries.xlsx", pushes.delivery_export, name="delivery_export"),
    path("deliveries/inbox/", pushes.delivery_inbox, name="delivery_inbox"),
    path(
        "deliveries/<int:pk>/acknowledge/",
        pushes.delivery_acknowledge,
        name="delivery_acknowledge",
    ),
    path("deliveries/<int:pk>/record/", pushes.delivery_record, name="delivery_record"),
]


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals (/rumors/, /rebuttals/, public /emergency/rebuttals/) ---------
urlpatterns += []


# (keep these blank lines: each area edits its own block)


# -- public incident pages, expert answers, review report (/emergency/) -----------------
urlpatterns += []
