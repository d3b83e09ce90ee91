"""The rounds area's API endpoints: (prefix, viewset, basename) triples the router registers."""

ROUTES = []
