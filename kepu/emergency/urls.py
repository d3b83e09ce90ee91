from django.urls import path  # noqa: F401

from kepu.emergency.views import group, incidents, public, pushes, report, rumors  # noqa: F401

app_name = "emergency"

urlpatterns = []

# -- incidents and the expert group (back office: /incidents/) ---------------------------
urlpatterns += [
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/export/", incidents.incident_export, name="incident_export"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_update, name="incident_update"),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident_close"),
    path("incidents/<int:pk>/group/invite/", group.member_invite, name="member_invite"),
    path("incidents/<int:pk>/group/propose/", group.member_propose, name="member_propose"),
    path("incidents/<int:pk>/group/add/", group.member_add, name="member_add"),
    path("incidents/members/<int:pk>/withdraw/", group.member_withdraw, name="member_withdraw"),
    path("incidents/members/<int:pk>/lead/", group.member_lead, name="member_lead"),
    path("incidents/members/<int:pk>/record/", group.member_record, name="member_record"),
    path("incidents/members/<int:pk>/shifts/", group.shift_add, name="shift_add"),
    path("incidents/shifts/<int:pk>/remove/", group.shift_remove, name="shift_remove"),
    path("incidents/invitations/", group.invitation_list, name="invitation_list"),
    path(
        "incidents/invitations/<int:pk>/answer/",
        group.invitation_respond,
        name="invitation_respond",
    ),
]


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
urlpatterns += [
    path("emergency/", public.public_incident_list, name="public_incident_list"),
    path("emergency/<int:pk>/", public.public_incident_detail, name="public_incident_detail"),
    path("incidents/<int:pk>/answers/new/", report.answer_create, name="answer_create"),
    path("incidents/<int:pk>/review/", report.incident_report, name="incident_report"),
    path("incidents/<int:pk>/review/pdf/", report.incident_report_pdf, name="incident_report_pdf"),
]
