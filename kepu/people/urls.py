from django.urls import path

from kepu.people.views import officers, people, pools, public, review, stats

app_name = "people"

urlpatterns = [
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/export.xlsx", people.person_export, name="person_export"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_update, name="person_update"),
    path("people/<int:pk>/reveal/", people.person_reveal, name="person_reveal"),
    path("people/<int:pk>/erase/", people.person_erase, name="person_erase"),
    path("people/<int:pk>/add/", people.person_records, name="person_records"),
    path("people/<int:pk>/registrations/", people.registration_add, name="registration_add"),
    path("people/<int:pk>/pools/", people.pool_member_add, name="pool_member_add"),
    path("people/<int:pk>/teams/", people.team_member_add, name="team_member_add"),
    path("people/<int:pk>/records/<str:kind>/", people.record_add, name="record_add"),
    path("people/review/", review.registration_list, name="registration_list"),
    path(
        "people/review/<int:pk>/certify/", review.registration_certify, name="registration_certify"
    ),
    path("people/review/<int:pk>/reject/", review.registration_reject, name="registration_reject"),
    path("people/pools/", pools.pool_list, name="pool_list"),
    path("people/pools/<int:pk>/", pools.pool_detail, name="pool_detail"),
    path("people/experts/", pools.expert_search, name="expert_search"),
    path("people/teams/", pools.team_list, name="team_list"),
    path("people/teams/<int:pk>/", pools.team_detail, name="team_detail"),
    path("people/stats/", stats.stats_view, name="stats"),
    path("people/stats/export.xlsx", stats.stats_export, name="stats_export"),
    path("people/stats/population/", stats.population_update, name="population_update"),
    path("people/officers/activity/", officers.activity_list, name="officer_activity_list"),
    path(
        "people/officers/activity/export.xlsx",
        officers.activity_export,
        name="officer_activity_export",
    ),
    path("people/officers/rankings/", officers.rankings, name="officer_rankings"),
    path("people/officers/feedback/", officers.feedback, name="officer_feedback"),
    path("people/officers/feedback/send/", officers.feedback_send, name="officer_feedback_send"),
    path(
        "people/officers/feedback/export.xlsx",
        officers.feedback_export,
        name="officer_feedback_export",
    ),
    path("join/", public.join_start, name="join_start"),
    path("join/status/<uuid:token>/", public.join_status, name="join_status"),
    path("join/<str:kind>/", public.join_form, name="join_form"),
]
