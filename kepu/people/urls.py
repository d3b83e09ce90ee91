from django.urls import path

from kepu.people.views import (
    officers,
    people,
    pools,
    public,
    review,
    stats,
    talent_rounds,
    talents,
    teams,
)
from kepu.people.views import training as tr
from kepu.people.views import training_sessions as ts

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
    path("training/courses/", tr.course_list, name="course_list"),
    path("training/courses/new/", tr.course_create, name="course_create"),
    path("training/courses/export.xlsx", tr.course_export, name="course_export"),
    path("training/courses/<int:pk>/", tr.course_detail, name="course_detail"),
    path("training/courses/<int:pk>/edit/", tr.course_update, name="course_update"),
    path("training/courses/<int:pk>/sessions/new/", tr.session_create, name="session_create"),
    path("training/bases/", tr.base_list, name="base_list"),
    path("training/bases/<int:pk>/recognize/", tr.base_recognize, name="base_recognize"),
    path("training/sessions/", ts.session_list, name="session_list"),
    path("training/sessions/<int:pk>/", ts.session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/enrol-me/", ts.session_enrol_self, name="session_enrol_self"),
    path(
        "training/sessions/<int:pk>/complete/", ts.session_complete_all, name="session_complete_all"
    ),
    path("training/sessions/<int:pk>/<str:step>/", ts.session_step, name="session_step"),
    path(
        "training/enrolments/<int:pk>/withdraw/", ts.enrolment_withdraw, name="enrolment_withdraw"
    ),
    path("training/enrolments/<int:pk>/attend/", ts.enrolment_attend, name="enrolment_attend"),
    path(
        "training/enrolments/<int:pk>/complete/", ts.enrolment_complete, name="enrolment_complete"
    ),
    path(
        "training/enrolments/<int:pk>/certificate.pdf", ts.certificate_pdf, name="certificate_pdf"
    ),
    path("training/mine/", tr.my_training, name="my_training"),
    path("training/stats/", tr.training_stats, name="training_stats"),
    path("training/stats/export.xlsx", tr.training_stats_export, name="training_stats_export"),
    path("training/verify/", tr.certificate_verify, name="certificate_verify"),
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
    # Talent evaluation and the high-level talent service (seeds 000 (五)(六)).
    path("people/talent-rounds/", talent_rounds.round_list, name="talent_round_list"),
    path("people/talent-rounds/new/", talent_rounds.round_create, name="talent_round_create"),
    path("people/talent-rounds/<int:pk>/", talent_rounds.round_detail, name="talent_round_detail"),
    path(
        "people/talent-rounds/<int:pk>/edit/",
        talent_rounds.round_update,
        name="talent_round_update",
    ),
    path("people/talent-rounds/<int:pk>/open/", talent_rounds.round_open, name="talent_round_open"),
    path(
        "people/talent-rounds/<int:pk>/close/", talent_rounds.round_close, name="talent_round_close"
    ),
    path(
        "people/talent-rounds/<int:pk>/publish/",
        talent_rounds.round_publish,
        name="talent_round_publish",
    ),
    path(
        "people/talent-rounds/<int:pk>/apply/",
        talent_rounds.application_create,
        name="talent_application_create",
    ),
    path(
        "people/talent-rounds/<int:pk>/ranking/",
        talent_rounds.round_ranking,
        name="talent_round_ranking",
    ),
    path(
        "people/talent-rounds/<int:pk>/ranking.xlsx",
        talent_rounds.round_ranking_export,
        name="talent_round_ranking_export",
    ),
    path(
        "people/talent-applications/",
        talent_rounds.application_list,
        name="talent_application_list",
    ),
    path(
        "people/talent-applications/export.xlsx",
        talent_rounds.application_export,
        name="talent_application_export",
    ),
    path(
        "people/talent-applications/<int:pk>/",
        talent_rounds.application_detail,
        name="talent_application_detail",
    ),
    path(
        "people/talent-applications/<int:pk>/edit/",
        talent_rounds.application_update,
        name="talent_application_update",
    ),
    path(
        "people/talent-applications/<int:pk>/items/",
        talent_rounds.item_add,
        name="talent_item_add",
    ),
    path(
        "people/talent-applications/<int:pk>/items/<int:item>/file/",
        talent_rounds.item_file,
        name="talent_item_file",
    ),
    path(
        "people/talent-applications/<int:pk>/submit/",
        talent_rounds.application_submit,
        name="talent_application_submit",
    ),
    path(
        "people/talent-applications/<int:pk>/recommend/",
        talent_rounds.application_recommend,
        name="talent_application_recommend",
    ),
    path(
        "people/talent-applications/<int:pk>/return/",
        talent_rounds.application_return,
        name="talent_application_return",
    ),
    path(
        "people/talent-applications/<int:pk>/score/",
        talent_rounds.application_score,
        name="talent_application_score",
    ),
    path("people/talents/", talents.talent_list, name="talent_list"),
    path("people/talents/new/", talents.talent_create, name="talent_create"),
    path("people/talents/export.xlsx", talents.talent_export, name="talent_export"),
    path("people/talents/<int:pk>/", talents.talent_detail, name="talent_detail"),
    path("people/talents/<int:pk>/edit/", talents.talent_update, name="talent_update"),
    path("people/talents/<int:pk>/services/", talents.service_add, name="talent_service_add"),
    path(
        "people/talents/needs/<int:pk>/resolve/", talents.need_resolve, name="talent_need_resolve"
    ),
    path("join/", public.join_start, name="join_start"),
    path("join/status/<uuid:token>/", public.join_status, name="join_status"),
    path("join/<str:kind>/", public.join_form, name="join_form"),
]
