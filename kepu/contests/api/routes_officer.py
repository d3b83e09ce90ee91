"""API routes of the officer area."""

from kepu.contests.api.officer import AttemptViewSet, ContestViewSet, RoundViewSet

ROUTES = [
    ("contests/contests", ContestViewSet, "contest"),
    ("contests/rounds", RoundViewSet, "contestround"),
    ("contests/attempts", AttemptViewSet, "contest-attempt"),
]
EXTRA = []
