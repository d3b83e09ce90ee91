"""Literacy rows of the authorization matrix (run by the shared harness), one module per
area, gathered here."""

from kepu.literacy.tests import authz_bank, authz_results, authz_rounds

_AREAS = (authz_bank, authz_rounds, authz_results)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
