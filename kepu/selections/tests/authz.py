"""Selections rows of the authorization matrix (run by the shared harness), one module
per area, gathered here."""

from kepu.selections.tests import authz_calls, authz_projects, authz_results, authz_review

_AREAS = (authz_calls, authz_review, authz_results, authz_projects)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
