"""URLs of the officer area. The contests' own pages are under /contests/manage/: the
public pages (the taking area) own /contests/ and /contests/<pk>/."""

from django.urls import path

from kepu.contests.views import officer as v
from kepu.contests.views import officer_attempts as a

urlpatterns = [
    path("manage/", v.contest_list, name="contest_list"),
    path("manage/new/", v.contest_create, name="contest_create"),
    path("manage/<int:pk>/", v.contest_detail, name="contest_detail"),
    path("manage/<int:pk>/edit/", v.contest_edit, name="contest_edit"),
    path("manage/<int:pk>/step/<slug:step>/", v.contest_step, name="contest_step"),
    path("manage/<int:pk>/rounds/new/", v.round_create, name="round_create"),
    path("manage/<int:pk>/participants/", a.participant_list, name="participant_list"),
    path("rounds/<int:pk>/", v.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", v.round_edit, name="round_edit"),
    path("rounds/<int:pk>/step/<slug:step>/", v.round_step, name="round_step"),
    path("rounds/<int:pk>/attempts/", a.attempt_list, name="attempt_list"),
    path("attempts/<int:pk>/", a.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/exclude/", a.attempt_exclude, name="attempt_exclude"),
    path("attempts/<int:pk>/restore/", a.attempt_restore, name="attempt_restore"),
    path("participants/<int:pk>/reveal/", a.participant_reveal, name="participant_reveal"),
]
