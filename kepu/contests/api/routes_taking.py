"""API routes of the taking area."""

ROUTES = []
EXTRA = []
