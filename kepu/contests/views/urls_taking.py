"""URLs of the taking area: the public, phone-first pages of a contest."""

from django.urls import path

from kepu.contests.views import taking, taking_answers, taking_attempt

R = "rounds/<int:pk>/"

urlpatterns = [
    path("", taking.contest_list, name="public_contest_list"),
    path("<int:pk>/", taking.contest_detail, name="public_contest_detail"),
    path("<int:pk>/join/", taking.join, name="participant_join"),
    path(R + "take/", taking.round_page, name="public_round"),
    path(R + "start/", taking.round_start, name="attempt_start"),
    path(R + "q/<int:position>/", taking_attempt.question, name="attempt_question"),
    path(R + "answers/", taking_answers.save_answers, name="attempt_answers"),
    path(R + "summary/", taking_attempt.summary, name="attempt_summary"),
    path(R + "submit/", taking_attempt.submit, name="attempt_submit"),
    path(R + "result/", taking_attempt.result, name="attempt_result"),
]
