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
from kepu.emergency.views import rumors_public  # noqa: E402

urlpatterns += [
    path("rumors/", rumors.rumor_list, name="rumor_list"),
    path("rumors/export/", rumors.rumor_export, name="rumor_export"),
    path("rumors/new/", rumors.rumor_create, name="rumor_create"),
    path("rumors/trends/", rumors.rumor_trends, name="rumor_trends"),
    path("rumors/<int:pk>/", rumors.rumor_detail, name="rumor_detail"),
    path("rumors/<int:pk>/triage/", rumors.rumor_triage, name="rumor_triage"),
    path("rumors/<int:pk>/rebuttal/", rumors.rebuttal_create, name="rebuttal_create"),
    path("rebuttals/<int:pk>/", rumors.rebuttal_detail, name="rebuttal_detail"),
    path("rebuttals/<int:pk>/edit/", rumors.rebuttal_update, name="rebuttal_update"),
    path("rebuttals/<int:pk>/submit/", rumors.rebuttal_submit, name="rebuttal_submit"),
    path("rebuttals/<int:pk>/publish/", rumors.rebuttal_publish, name="rebuttal_publish"),
    path("rebuttals/<int:pk>/withdraw/", rumors.rebuttal_withdraw, name="rebuttal_withdraw"),
    path("incidents/<int:pk>/rumors/", rumors.incident_rumors, name="incident_rumors"),
    path("rebuttal-reviews/", rumors.review_list, name="review_list"),
    path("rebuttal-reviews/<int:pk>/", rumors.review_decide, name="review_decide"),
    path("emergency/report/", rumors_public.public_rumor_report, name="public_rumor_report"),
    path("emergency/rebuttals/", rumors_public.public_rebuttal_list, name="public_rebuttal_list"),
    path(
        "emergency/rebuttals/feed.json",
        rumors_public.rebuttal_feed_json,
        name="rebuttal_feed_json",
    ),
    path("emergency/rebuttals/feed.rss", rumors_public.rebuttal_feed_rss, name="rebuttal_feed_rss"),
    path(
        "emergency/rebuttals/<int:pk>/",
        rumors_public.public_rebuttal_detail,
        name="public_rebuttal_detail",
    ),
]


# (keep these blank lines: each area edits its own block)


# -- public incident pages, expert answers, review report (/emergency/) -----------------
urlpatterns += []
