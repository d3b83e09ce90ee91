"""URLs of the results area: public leaderboards, prize lists with their 公示, the
participant's certificate and its public check; the officers' rankings, advancement,
publication, reports and prize lists."""

from django.urls import path

from kepu.contests.views import results, results_public

urlpatterns = [
    # public
    path("rounds/<int:pk>/leaderboard/", results_public.leaderboard, name="leaderboard"),
    path("rounds/<int:pk>/prizes/", results_public.prizes_public, name="prizes_public"),
    path("rounds/<int:pk>/prizes/<int:prize_pk>/objection/",
         results_public.prize_objection, name="prize_objection"),
    path("rounds/<int:pk>/certificate/", results_public.certificate, name="certificate"),
    path("certificates/<str:code>/", results_public.certificate_verify,
         name="certificate_verify"),
    # officers
    path("rounds/<int:pk>/rankings/", results.round_rankings, name="round_rankings"),
    path("rounds/<int:pk>/rankings/export/", results.round_rankings_export,
         name="round_rankings_export"),
    path("rounds/<int:pk>/advance/", results.round_advance, name="round_advance"),
    path("rounds/<int:pk>/publish/", results.round_publish, name="round_publish"),
    path("rounds/<int:pk>/report/", results.round_report, name="round_report"),
    path("rounds/<int:pk>/item-statistics/", results.round_item_statistics,
         name="round_item_statistics"),
    path("rounds/<int:pk>/prize-list/", results.prize_list, name="prizelist_detail"),
    path("rounds/<int:pk>/prize-list/certificates/", results.prize_certificates,
         name="prize_certificates"),
    path("prize-lists/<int:pk>/publicize/", results.prize_list_publicize,
         name="prize_list_publicize"),
    path("prize-lists/<int:pk>/finalize/", results.prize_list_finalize,
         name="prize_list_finalize"),
    path("prizes/<int:pk>/withdraw/", results.prize_withdraw, name="prize_withdraw"),
    path("prize-objections/<int:pk>/answer/", results.objection_answer,
         name="objection_answer"),
]  # fmt: skip
