"""Contests rows of the authorization matrix (run by the shared harness), one module per
area, gathered here."""

from kepu.contests.tests import authz_officer, authz_results, authz_taking

_AREAS = (authz_officer, authz_taking, authz_results)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
