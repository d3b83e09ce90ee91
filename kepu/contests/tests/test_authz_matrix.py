"""The contests rows of the authorization matrix, run by the shared harness."""

from kepu.contests.tests.authz import ROWS
from kepu.core.tests.matrix import matrix_tests

_matrix_ctx, ctx, test_matrix = matrix_tests(ROWS)
