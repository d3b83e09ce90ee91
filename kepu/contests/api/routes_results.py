"""API routes of the results area."""

ROUTES = []
EXTRA = []
