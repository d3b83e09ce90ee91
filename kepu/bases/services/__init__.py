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
    compute_evaluation_round,
    create_evaluation_round,
    publish_evaluation_round,
    set_manual_scores,
)
from kepu.bases.services.census import (  # noqa: F401
    accept_census_return,
    close_census_round,
    open_census_round,
    reopen_census_return,
    save_census_return,
)
from kepu.bases.services.midterm import (  # noqa: F401
    conclude_area,
    create_area,
    create_evaluation,
    publish_evaluation,
    save_self_assessment,
    submit_scoresheet,
)
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
from kepu.bases.services.subsidy import (  # noqa: F401
    adjust_subsidy_lines,
    approve_subsidy_round,
    change_subsidy_round,
    create_subsidy_round,
    preview_subsidy,
    publish_subsidy_round,
    return_subsidy_round,
    submit_subsidy_round,
)
