"""API routes of the results area."""

from django.urls import path

from kepu.contests.api.results import LeaderboardView

ROUTES = []
EXTRA = [
    path("contests/rounds/<int:pk>/leaderboard/", LeaderboardView.as_view(),
         name="contest-leaderboard"),
]  # fmt: skip
