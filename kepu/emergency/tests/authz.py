"""Emergency rows of the authorization matrix (run by the shared harness), one module per
area, gathered here."""

from kepu.emergency.tests import authz_group, authz_public, authz_pushes, authz_rumors

_AREAS = (authz_group, authz_pushes, authz_rumors, authz_public)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
