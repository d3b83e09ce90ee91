"""The portal rows of the authorization matrix (`authz.py`), run by the shared harness
(`kepu/core/tests/matrix.py`): every endpoint × every persona, and denials change nothing."""

from kepu.core.tests.matrix import matrix_tests
from kepu.portal.tests.authz import ROWS

_matrix_ctx, ctx, test_matrix = matrix_tests(ROWS)
