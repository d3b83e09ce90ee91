"""Every state change of the bases app, one module per aggregate, re-exported here."""

from kepu.bases.services.recognition import (  # noqa: F401
    advance_round,
    change_round,
    check_application,
    create_round,
    recommend_application,
    submit_application,
    withdraw_application,
)
from kepu.bases.services.recognition_review import (  # noqa: F401
    answer_objection,
    declare_conflict,
    draw_panel,
    file_objection,
    name_bases,
    start_publicity,
    submit_score,
)
from kepu.bases.services.registry import (  # noqa: F401
    change_base,
    expire_bases,
    register_base,
    set_base_status,
)
