"""Every state change of the bases app, one module per aggregate, re-exported here."""

from kepu.bases.services.midterm import (  # noqa: F401
    conclude_area,
    create_area,
    create_evaluation,
    publish_evaluation,
    save_self_assessment,
    submit_scoresheet,
)
from kepu.bases.services.registry import (  # noqa: F401
    change_base,
    expire_bases,
    register_base,
    set_base_status,
)
