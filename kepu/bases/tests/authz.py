"""Bases rows of the authorization matrix (run by the shared harness), one module per
area, gathered here."""

from kepu.bases.tests import (
    authz_annual,
    authz_midterm,
    authz_recognition,
    authz_registry,
    authz_subsidy,
)

_AREAS = (authz_registry, authz_recognition, authz_annual, authz_subsidy, authz_midterm)

ROWS = [row for area in _AREAS for row in area.ROWS]


def context(ctx):
    for area in _AREAS:
        area.context(ctx)
