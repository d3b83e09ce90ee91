from django.urls import path

from kepu.plans.views import assessment as a
from kepu.plans.views import assessment_public as apub
from kepu.plans.views import dashboard as d
from kepu.plans.views import meetings as m
from kepu.plans.views import plans as p
from kepu.plans.views import public as pub
from kepu.plans.views import reports as r
from kepu.plans.views import targets as t

app_name = "plans"

urlpatterns = [
    path("plans/", p.plan_list, name="plan_list"),
    path("plans/new/", p.plan_create, name="plan_create"),
    path("plans/<int:pk>/", d.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", p.plan_update, name="plan_update"),
    path("plans/<int:pk>/publish/", p.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/close/", p.plan_close, name="plan_close"),
    path("plans/<int:pk>/sections/new/", p.section_create, name="section_create"),
    path("plans/<int:pk>/tasks/new/", p.task_create, name="task_create"),
    path("plans/<int:pk>/targets/new/", t.target_create, name="target_create"),
    path("plans/<int:pk>/bulletin.xlsx", d.bulletin_xlsx, name="bulletin_xlsx"),
    path("plans/<int:pk>/bulletin.pdf", d.bulletin_pdf, name="bulletin_pdf"),
    path("plans/tasks/<int:pk>/", p.task_detail, name="task_detail"),
    path("plans/tasks/<int:pk>/edit/", p.task_update, name="task_update"),
    path("plans/tasks/<int:pk>/status/", p.task_status, name="task_status"),
    path("plans/tasks/<int:pk>/notes/new/", p.note_create, name="note_create"),
    path("plans/notes/<int:pk>/respond/", p.note_respond, name="note_respond"),
    path("plans/targets/", t.target_list, name="target_list"),
    path("plans/targets/export.xlsx", t.target_export, name="target_export"),
    path("plans/targets/<int:pk>/", t.target_detail, name="target_detail"),
    path("plans/targets/<int:pk>/edit/", t.target_update, name="target_update"),
    path("plans/targets/<int:pk>/decompose/", t.target_decompose, name="target_decompose"),
    path("plans/reports/", r.report_list, name="report_list"),
    path("plans/reports/export.xlsx", r.report_export, name="report_export"),
    path("plans/reports/<int:pk>/", r.report_detail, name="report_detail"),
    path("plans/reports/<int:pk>/edit/", r.report_edit, name="report_edit"),
    path("plans/reports/<int:pk>/review/<str:step>/", r.report_review, name="report_review"),
    path(
        "plans/reports/<int:pk>/files/<int:file_pk>/",
        r.report_attachment,
        name="report_attachment",
    ),
    path("plans/conferences/", m.conference_list, name="conference_list"),
    path("plans/conferences/<int:pk>/", m.conference_detail, name="conference_detail"),
    path("plans/conferences/<int:pk>/meetings/new/", m.meeting_create, name="meeting_create"),
    path("plans/meetings/", m.meeting_list, name="meeting_list"),
    path("plans/meetings/export.xlsx", m.meeting_export, name="meeting_export"),
    path("plans/meetings/<int:pk>/", m.meeting_detail, name="meeting_detail"),
    path("plans/meetings/<int:pk>/edit/", m.meeting_update, name="meeting_update"),
    path("plans/meetings/<int:pk>/decisions/new/", m.decision_create, name="decision_create"),
    path(
        "plans/meetings/<int:pk>/decisions/<int:number>/edit/",
        m.decision_update,
        name="decision_update",
    ),
    path("plans/meetings/<int:pk>/minutes/", m.minutes_upload, name="minutes_upload"),
    path(
        "plans/meetings/<int:pk>/minutes/<int:file_pk>/",
        m.minutes_download,
        name="minutes_download",
    ),
    path("plans/units/mine/", m.unit_mine, name="unit_mine"),
    path("plans/units/<int:pk>/", m.unit_detail, name="unit_detail"),
    path("plans/assessments/", a.assessment_list, name="assessment_list"),
    path("plans/assessments/new/", a.assessment_create, name="assessment_create"),
    path("plans/assessments/<int:pk>/", a.assessment_detail, name="assessment_detail"),
    path("plans/assessments/<int:pk>/ranking/", a.assessment_ranking, name="assessment_ranking"),
    path("plans/assessments/<int:pk>/export.xlsx", a.assessment_export, name="assessment_export"),
    path("plans/assessments/<int:pk>/refresh/", a.assessment_refresh, name="assessment_refresh"),
    path("plans/assessments/<int:pk>/publish/", a.assessment_publish, name="assessment_publish"),
    path("plans/assessments/entries/<int:pk>/", a.assessment_entry, name="assessment_entry"),
    path(
        "plans/assessments/entries/<int:pk>/self/",
        a.assessment_self_assess,
        name="assessment_self_assess",
    ),
    path("plans/assessments/entries/<int:pk>/score/", a.assessment_score, name="assessment_score"),
    path(
        "plans/assessments/entries/<int:pk>/confirm/",
        a.assessment_confirm,
        name="assessment_confirm",
    ),
    path(
        "plans/assessments/entries/<int:pk>/files/<int:file_pk>/",
        a.assessment_evidence,
        name="assessment_evidence",
    ),
    path("progress/assessments/", apub.public_assessment_list, name="public_assessment_list"),
    path(
        "progress/assessments/<int:pk>/",
        apub.public_assessment_detail,
        name="public_assessment_detail",
    ),
    path("progress/", pub.plan_list, name="public_plan_list"),
    path("progress/<int:pk>/", pub.plan_detail, name="public_plan_detail"),
]
