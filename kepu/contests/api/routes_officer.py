"""API routes of the officer area."""

ROUTES = []
EXTRA = []
