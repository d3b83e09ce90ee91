"""URLs of the recognition area (see kepu.bases.urls)."""

from django.urls import path

from kepu.bases.views import recognition as v
from kepu.bases.views import recognition_review as r

urlpatterns = [
    path("recognition/rounds/", v.round_list, name="round_list"),
    path("recognition/rounds/new/", v.round_create, name="round_create"),
    path("recognition/rounds/<int:pk>/", v.round_detail, name="round_detail"),
    path("recognition/rounds/<int:pk>/edit/", v.round_update, name="round_update"),
    path("recognition/rounds/<int:pk>/advance/", v.round_advance, name="round_advance"),
    path("recognition/rounds/<int:pk>/apply/", v.application_create, name="application_create"),
    path("recognition/rounds/<int:pk>/panel/", r.round_panel, name="round_panel"),
    path("recognition/rounds/<int:pk>/ranking/", r.round_ranking, name="round_ranking"),
    path("recognition/rounds/<int:pk>/naming/", r.round_naming, name="round_naming"),
    path("recognition/applications/", v.application_list, name="application_list"),
    path("recognition/applications/export/", v.application_export, name="application_export"),
    path("recognition/applications/<int:pk>/", v.application_detail, name="application_detail"),
    path(
        "recognition/applications/<int:pk>/withdraw/",
        v.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "recognition/applications/<int:pk>/materials/<int:file_pk>/",
        v.material_download,
        name="material_download",
    ),
    path(
        "recognition/applications/<int:pk>/recommend/",
        v.application_recommend,
        name="application_recommend",
    ),
    path("recognition/applications/<int:pk>/check/", v.application_check, name="application_check"),
    path("recognition/recommend/", v.recommend_queue, name="recommend_queue"),
    path("recognition/checks/", v.check_queue, name="check_queue"),
    path("recognition/sheets/", r.sheet_queue, name="sheet_queue"),
    path("recognition/sheets/<int:pk>/", r.sheet_score, name="sheet_score"),
    path("recognition/sheets/<int:pk>/conflict/", r.sheet_conflict, name="sheet_conflict"),
    path(
        "recognition/sheets/<int:pk>/materials/<int:file_pk>/",
        r.sheet_material,
        name="sheet_material",
    ),
    path("recognition/objections/", r.objection_queue, name="objection_queue"),
    path("recognition/objections/<int:pk>/", r.objection_answer, name="objection_answer"),
    path("recognition/certificates/<int:pk>.pdf", r.certificate_pdf, name="certificate_pdf"),
    path("bases/publicity/<int:pk>/", r.public_publicity, name="public_publicity"),
    path("bases/publicity/<int:pk>/object/", r.public_objection, name="public_objection"),
    path("bases/verify/<str:number>/", r.verify_number, name="verify_number"),
]
