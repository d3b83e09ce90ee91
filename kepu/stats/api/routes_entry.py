"""API routes of the entry area: ROUTES (prefix, viewset, basename) for the router, EXTRA
for plain paths. Prefixes start with "stats/"."""

ROUTES = []
EXTRA = []
