"""Every state change of the bases app, one module per aggregate, re-exported here."""

from kepu.bases.services.annual import (  # noqa: F401
    accept_report,
    open_report,
    return_report,
    save_report,
    set_report_window,
    submit_report,
)
from kepu.bases.services.annual_checks import (  # noqa: F401
    decide_rectification,
    draw_spot_checks,
    order_rectification,
    plan_spot_check,
    record_spot_check,
    report_rectification,
    warn_base,
)
from kepu.bases.services.annual_evaluation import (  # noqa: F401
    compute_round,
    create_round,
    publish_round,
    set_manual_scores,
)
from kepu.bases.services.registry import (  # noqa: F401
    change_base,
    expire_bases,
    register_base,
    set_base_status,
)
