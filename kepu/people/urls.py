from django.urls import path

from kepu.people.views import people, pools, public, review, stats, teams

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
    path("people/teams/", teams.team_list, name="team_list"),
    path("people/teams/export.xlsx", teams.team_export, name="team_export"),
    path("people/teams/apply/", teams.team_apply, name="team_apply"),
    path("people/teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("people/teams/<int:pk>/honours/", teams.team_honour_add, name="team_honour_add"),
    path("people/teams/<int:pk>/<str:step>/", teams.team_step, name="team_step"),
    path("people/team-honours/", teams.honour_list, name="team_honour_list"),
    path("people/team-honours/export.xlsx", teams.honour_export, name="team_honour_export"),
    path("people/service-groups/", teams.group_list, name="group_list"),
    path("people/service-groups/new/", teams.group_create, name="group_create"),
    path("people/service-groups/export.xlsx", teams.group_export, name="group_export"),
    path("people/service-groups/<int:pk>/", teams.group_detail, name="group_detail"),
    path("people/stats/", stats.stats_view, name="stats"),
    path("people/stats/export.xlsx", stats.stats_export, name="stats_export"),
    path("people/stats/population/", stats.population_update, name="population_update"),
    path("join/", public.join_start, name="join_start"),
    path("join/status/<uuid:token>/", public.join_status, name="join_status"),
    path("join/<str:kind>/", public.join_form, name="join_form"),
]
