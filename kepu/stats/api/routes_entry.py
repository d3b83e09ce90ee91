"""API routes of the entry area: ROUTES (prefix, viewset, basename) for the router, EXTRA
for plain paths. Prefixes start with "stats/"."""

from kepu.stats.api.entry import ReturnViewSet

ROUTES = [("stats/returns", ReturnViewSet, "stats-return")]
EXTRA = []
