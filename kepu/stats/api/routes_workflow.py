"""API routes of the workflow area: ROUTES (prefix, viewset, basename) for the router, EXTRA
for plain paths. Prefixes start with "stats/"."""

from kepu.stats.api.workflow import RoundViewSet

ROUTES = [
    ("stats/rounds", RoundViewSet, "stats-round"),
]
EXTRA = []
