"""Every state change of the bases app, one module per aggregate, re-exported here."""

from kepu.bases.services.registry import (  # noqa: F401
    change_base,
    expire_bases,
    register_base,
    set_base_status,
)
