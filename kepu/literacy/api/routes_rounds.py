"""The rounds area's API endpoints: (prefix, viewset, basename) triples the router registers."""

from kepu.literacy.api.rounds import ResponseViewSet, RoundViewSet

ROUTES = [
    ("literacy/rounds", RoundViewSet, "literacy-round"),
    ("literacy/responses", ResponseViewSet, "literacy-response"),
]
