"""Volunteer service rows of the authorization matrix (kepu/core/tests/test_authz_matrix.py).

Each part of the app keeps its rows in its own section below.
"""

from kepu.core.testing import Row, officers, statuses  # noqa: F401

FINGERPRINT = [
    "volunteering.ServiceOrder",
    "volunteering.OrderEvent",
    "volunteering.Assignment",
    "volunteering.HourEntry",
    "volunteering.Certificate",
]


def context(ctx):
    """Objects the rows refer to (each section adds its own)."""
    # --- context: orders ---
    # --- context: hours and certificates ---
    # --- context: bulletin ---
    ctx["volunteering_context"] = True


ROWS = []
# --- rows: public ordering ---
# --- rows: orders ---
# --- rows: hours and certificates ---
# --- rows: bulletin ---
# --- rows: API ---
