"""Statistics rows of the authorization matrix (run by the shared harness), one module
per area, gathered here."""

from kepu.stats.tests import authz_entry, authz_output, authz_workflow

_AREAS = (authz_entry, authz_workflow, authz_output)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
