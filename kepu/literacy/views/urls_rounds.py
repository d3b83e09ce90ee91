"""The rounds area's pages (this area owns this module)."""

from django.urls import path

from kepu.literacy.views import margins as m
from kepu.literacy.views import responses as f
from kepu.literacy.views import rounds as v
from kepu.literacy.views import survey as s

urlpatterns = [
    path("literacy/rounds/", v.round_list, name="round_list"),
    path("literacy/rounds/new/", v.round_create, name="round_create"),
    path("literacy/rounds/<int:pk>/", v.round_detail, name="round_detail"),
    path("literacy/rounds/<int:pk>/edit/", v.round_edit, name="round_edit"),
    path("literacy/rounds/<int:pk>/points/", v.round_points, name="round_points"),
    path("literacy/rounds/<int:pk>/points.pdf", v.round_points_pdf, name="round_points_pdf"),
    path("literacy/rounds/<int:pk>/step/<slug:step>/", v.round_step, name="round_step"),
    path(
        "literacy/rounds/<int:pk>/interviewers/",
        v.round_interviewer_add,
        name="round_interviewer_add",
    ),  # fmt: skip
    path(
        "literacy/rounds/<int:pk>/interviewers/<int:user_pk>/remove/",
        v.round_interviewer_remove,
        name="round_interviewer_remove",
    ),  # fmt: skip
    path("literacy/rounds/<int:pk>/dispositions/", f.round_dispositions, name="round_dispositions"),
    path("literacy/rounds/<int:pk>/interview/", f.interview, name="interview"),
    path("literacy/rounds/<int:pk>/contacts/", f.contact_create, name="contact_create"),
    path("literacy/interviews/", f.interview_list, name="interview_list"),
    path("literacy/responses/", f.response_list, name="response_list"),
    path("literacy/responses/<int:pk>/", f.response_detail, name="response_detail"),
    path("literacy/responses/<int:pk>/exclude/", f.response_exclude, name="response_exclude"),
    path("literacy/responses/<int:pk>/restore/", f.response_restore, name="response_restore"),
    path("literacy/margins/", f.margin_list, name="margin_list"),
    path("literacy/margins/<str:code>/edit/", m.margin_edit, name="margin_edit"),
    path("survey/<str:token>/", s.survey, name="survey"),
    path("survey/<str:token>/thanks/", s.survey_done, name="survey_done"),
    path("survey/p/<str:token>/", s.survey_point, name="survey_point"),
]
