"""API routes of the output area: ROUTES (prefix, viewset, basename) for the router, EXTRA
for plain paths. Prefixes start with "stats/"."""

from kepu.stats.api.output import AggregateViewSet

ROUTES = [("stats/aggregates", AggregateViewSet, "stats-aggregate")]
EXTRA = []
