"""URLs of the officer area."""

from django.urls import path

from kepu.contests.views import officer as v
from kepu.contests.views import officer_attempts as a

urlpatterns = [
    path("contests/", v.contest_list, name="contest_list"),
    path("contests/new/", v.contest_create, name="contest_create"),
    path("contests/<int:pk>/", v.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/edit/", v.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/step/<slug:step>/", v.contest_step, name="contest_step"),
    path("contests/<int:pk>/rounds/new/", v.round_create, name="round_create"),
    path("contests/<int:pk>/participants/", a.participant_list, name="participant_list"),
    path("contests/rounds/<int:pk>/", v.round_detail, name="round_detail"),
    path("contests/rounds/<int:pk>/edit/", v.round_edit, name="round_edit"),
    path("contests/rounds/<int:pk>/step/<slug:step>/", v.round_step, name="round_step"),
    path("contests/rounds/<int:pk>/attempts/", a.attempt_list, name="attempt_list"),
    path("contests/attempts/<int:pk>/", a.attempt_detail, name="attempt_detail"),
    path("contests/attempts/<int:pk>/exclude/", a.attempt_exclude, name="attempt_exclude"),
    path("contests/attempts/<int:pk>/restore/", a.attempt_restore, name="attempt_restore"),
    path("contests/participants/<int:pk>/reveal/", a.participant_reveal, name="participant_reveal"),
]
