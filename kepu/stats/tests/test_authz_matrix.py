"""The statistics rows of the authorization matrix, run by the shared harness."""

from kepu.core.tests.matrix import matrix_tests
from kepu.stats.tests.authz import ROWS

_matrix_ctx, ctx, test_matrix = matrix_tests(ROWS)
